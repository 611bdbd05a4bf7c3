import { AsyncResource } from 'node:async_hooks'
import type { Server } from 'node:net'
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express'
import { connect } from '../connection/connect.js'
import type { Database } from '../connection/database.js'
import { httpErrorFor } from './error-mapping.js'
import { RequestTracker } from './request-tracker.js'

export { httpErrorFor, type HttpErrorAnswer, type HttpErrorBody } from './error-mapping.js'

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The Database `quarryMiddleware` connected (the request runs in a `db.scope` of its own). */
      quarry: Database
    }
  }
}

/** The options of `quarryMiddleware(options)`. */
export interface QuarryExpressOptions {
  /** What `connect()` takes: a URL, a connection config, or the `quarry.config.ts` export. Default: `connect()`'s. */
  config?: Parameters<typeof connect>[0]
  /** Prepended to the request's path in page links (`'https://api.example.com'`). */
  baseUrl?: string
}

/** The middleware, with a handle on its Database. */
export interface QuarryMiddleware extends RequestHandler {
  /** Connects now (it otherwise connects on the first request) and resolves to the Database. */
  ready(): Promise<Database>
  /**
   * Closes the pools when `server` closes. Done by itself for each server that served a request;
   * call it when the app connects at start-up (`ready()`), since a server closed before any
   * request would otherwise leave the pools, and the process, running.
   */
  attach(server: Server): QuarryMiddleware
  /** Waits for the requests in flight, then closes the pools (done by itself when the server closes). */
  close(): Promise<void>
}

/**
 * The Quarry middleware for Express: connects from `config` (on the first request, or at
 * `ready()`), sets `req.quarry`, runs each request in a `db.scope` of its own (sticky reads per
 * request), and when the server that served the requests closes (`server.close()`), waits for
 * the requests in flight before closing the pools. Add `quarryErrorHandler()` after the routes.
 *
 * ```ts
 * const app = express()
 * app.use(quarryMiddleware({ config: 'postgres://app@127.0.0.1/app' }))
 * app.get('/users/:id', async (req, res) => res.json(UserResource.make(await User.findOrFail(req.params.id))))
 * app.use(quarryErrorHandler())
 * const server = app.listen(3000)
 * ```
 */
export function quarryMiddleware(options: QuarryExpressOptions = {}): QuarryMiddleware {
  let tracker: Promise<RequestTracker> | undefined
  const start = (): Promise<RequestTracker> => {
    if (tracker) return tracker
    const attempt = connect(options.config).then((db) => new RequestTracker(db, options.baseUrl))
    // A failed connection is tried again by the next request (a database that was down at
    // start-up); meanwhile each request answers with the ConnectionError.
    attempt.catch(() => {
      if (tracker === attempt) tracker = undefined
    })
    return (tracker = attempt)
  }
  const servers = new WeakSet<Server>()
  let open = 0
  const watch = (server: Server | undefined): void => {
    if (!server || servers.has(server)) return
    servers.add(server)
    open++
    server.once('close', () => {
      if (--open === 0) void middleware.close()
    })
  }

  const middleware = ((req: Request, res: Response, next: NextFunction): void => {
    start().then((current) => {
      const server = (req.socket as { server?: Server }).server
      watch(server)
      if (server) res.once('finish', () => endIfClosing(server))
      req.quarry = current.db
      current.serve(req.originalUrl, res, () => {
        keepContext(req)
        next()
      })
    }, next)
  }) as QuarryMiddleware
  middleware.ready = async () => (await start()).db
  middleware.attach = (server: Server) => {
    watch(server)
    return middleware
  }
  middleware.close = async () => {
    // Nothing to close when the connection never opened (its error went to the requests).
    const current = await tracker?.catch(() => undefined)
    await current?.close()
  }
  return middleware
}

/**
 * After an answer sent while the server is closing, its keep-alive connection is closed (once
 * idle), so that client does not hold the server, and the pools, open until it times out.
 */
function endIfClosing(server: Server): void {
  if (server.listening) return
  const http = server as Server & { closeIdleConnections?: () => void }
  setImmediate(() => http.closeIdleConnections?.())
}

/**
 * Body parsers finish reading from the socket's events, outside the request's context; binding
 * the request's `emit` to that context keeps the routes after them in the request's `db.scope`.
 */
function keepContext(req: Request): void {
  req.emit = AsyncResource.bind(req.emit, 'QuarryRequest', req) as Request['emit']
}

/** The options of `quarryErrorHandler(options)`. */
export interface QuarryErrorHandlerOptions {
  /** Told of errors answered 500 (default: `console.error`); `false` logs nothing. */
  log?: ((error: unknown, req: Request) => void) | false
}

/**
 * Answers Quarry's errors as JSON (`ModelNotFoundError` → 404, `UniqueViolationError` → 409 with
 * the fields named, `MassAssignmentError`/`UnknownColumnError` → 400, other Quarry errors → 500;
 * see `httpErrorFor`); hands every other error on. The body never carries SQL, values or a stack.
 * Leave it out to handle Quarry's errors yourself.
 *
 * ```ts
 * app.use(quarryErrorHandler())   // after the routes
 * ```
 */
export function quarryErrorHandler(options: QuarryErrorHandlerOptions = {}): ErrorRequestHandler {
  const log = options.log === undefined ? (error: unknown) => console.error(error) : options.log
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    const answer = httpErrorFor(error)
    if (!answer || res.headersSent) return next(error)
    if (answer.status >= 500 && log) log(error, req)
    res.status(answer.status).json(answer.body)
  }
}
