import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { connect } from '../connection/connect.js'
import type { Database } from '../connection/database.js'
import { httpErrorFor } from './error-mapping.js'
import { RequestTracker } from './request-tracker.js'

export { httpErrorFor, type HttpErrorAnswer, type HttpErrorBody } from './error-mapping.js'

/** The options of `app.register(quarry, options)`. */
export interface QuarryFastifyOptions {
  /** What `connect()` takes: a URL, a connection config, or the `quarry.config.ts` export. Default: `connect()`'s. */
  config?: Parameters<typeof connect>[0]
  /**
   * Answer Quarry's errors as JSON (`ModelNotFoundError` → 404, `UniqueViolationError` → 409, …;
   * see `httpErrorFor`). Default `true`; `false` leaves every error to the app's error handler.
   */
  errors?: boolean
  /** Prepended to the request's path in page links (`'https://api.example.com'`). */
  baseUrl?: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The Database the Quarry plugin connected. */
    quarry: Database
  }
  interface FastifyRequest {
    /** The Database the Quarry plugin connected (the request runs in a `db.scope` of its own). */
    quarry: Database
  }
}

const plugin: FastifyPluginAsync<QuarryFastifyOptions> = async (app, options) => {
  const db = await connect(options.config)
  const tracker = new RequestTracker(db, options.baseUrl)
  app.decorate('quarry', db)
  app.decorateRequest('quarry', null as unknown as Database)

  // The rest of the request's lifecycle runs inside `done()`, so inside its scope (Fastify keeps
  // that context through body parsing, custom content-type parsers included).
  app.addHook('onRequest', (request, reply, done) => {
    request.quarry = db
    tracker.serve(request.url, reply.raw, done)
  })
  if (options.errors !== false) mapErrors(app)

  // Answers sent while closing end their connection, so keep-alive clients do not hold the
  // server (and the process) open after the last in-flight request.
  let closing = false
  app.addHook('preClose', (done) => {
    closing = true
    done()
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing && !reply.raw.headersSent) reply.header('connection', 'close')
    done(null, payload)
  })
  app.addHook('onClose', () => tracker.close())
}

/** Answers Quarry's errors; hands every other error to the error handler set before. */
function mapErrors(app: FastifyInstance): void {
  const previous = app.errorHandler
  app.setErrorHandler(function quarryErrorHandler(this: FastifyInstance, error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const answer = httpErrorFor(error)
    if (!answer) return previous.call(this, error, request, reply)
    if (answer.status >= 500) request.log.error({ err: error }, 'Quarry error answered 500')
    return reply.status(answer.status).send(answer.body)
  })
}

/**
 * The Quarry plugin for Fastify: connects from `config`, decorates the app and each request with
 * the Database (`app.quarry`, `request.quarry`), runs each request in a `db.scope` of its own
 * (sticky reads per request), answers Quarry's errors as JSON, and on `app.close()` waits for the
 * requests in flight before closing the pools.
 *
 * ```ts
 * import Fastify from 'fastify'
 * import quarry from 'quarry/fastify'
 *
 * const app = Fastify()
 * await app.register(quarry, { config: 'postgres://app@127.0.0.1/app' })
 * app.get('/users/:id', async (request) => UserResource.make(await User.findOrFail(request.params.id)))
 * ```
 */
export const quarryPlugin = fp(plugin, { fastify: '5.x', name: 'quarry' })
export default quarryPlugin
