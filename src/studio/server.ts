import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Database } from '../connection/database.js'
import { QuarryError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import { readAsset } from './assets.js'
import { buildCatalog, catalogModel, publicModel, StudioNotFound, type StudioModel } from './catalog.js'
import { QueryLog } from './query-log.js'
import { findRow, listRows, parseRowsRequest, relatedPage, rowWithRelations, StudioRequestError } from './rows.js'
import { StudioGuard } from './security.js'
import { createRow, deleteRow, StudioWriteError, updateRow } from './writes.js'

/** How `startStudio` serves. */
export interface StudioOptions {
  db: Database
  models: ReadonlyArray<{ name: string; model: typeof Model }>
  /** Default 127.0.0.1. */
  host?: string
  /** Default 4983; 0 picks a free port. */
  port?: number
  /** Refuse every write. */
  readOnly?: boolean
}

/** A running studio. */
export interface Studio {
  /** The URL to open, with the access token. */
  url: string
  /** `http://host:port`, without the token. */
  origin: string
  token: string
  close(): Promise<void>
}

const MAX_BODY = 1024 * 1024

/**
 * Serves the studio: the page and its JSON API, behind the token cookie, the Host check and,
 * for writes, the CSRF header.
 *
 * ```ts
 * const studio = await startStudio({ db, models: await loadModels('models', cwd), port: 4983 })
 * console.log(studio.url)
 * ```
 */
export async function startStudio(options: StudioOptions): Promise<Studio> {
  const host = options.host ?? '127.0.0.1'
  const catalog = await buildCatalog(options.db, options.models)
  const log = new QueryLog(options.db)
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 4983, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const guard = new StudioGuard(host, port)
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response, { guard, catalog, log, readOnly: options.readOnly ?? false }).catch((error: unknown) => {
      send(response, 500, { error: { code: 'E_STUDIO_INTERNAL', message: (error as Error).message } })
    })
  })
  const shown = host.includes(':') ? `[${host}]` : host
  const origin = `http://${shown}:${port}`
  return {
    url: `${origin}/?token=${guard.token}`,
    origin,
    token: guard.token,
    close: () => close(server, log),
  }
}

interface State {
  guard: StudioGuard
  catalog: StudioModel[]
  log: QueryLog
  readOnly: boolean
}

async function handle(request: IncomingMessage, response: ServerResponse, state: State): Promise<void> {
  const { guard } = state
  if (!guard.hostAllowed(request)) {
    return send(response, 403, { error: { code: 'E_STUDIO_HOST', message: `Host ${request.headers.host ?? '(none)'} refused: open the studio at the address it printed` } })
  }
  const url = new URL(request.url ?? '/', 'http://studio.invalid')
  if (request.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
    if (!guard.tokenMatches(url.searchParams.get('token'))) return send(response, 401, { error: { code: 'E_STUDIO_TOKEN', message: 'Wrong token: open the URL quarry studio printed' } })
    // The token moves into the cookie and out of the address bar (and of the history).
    response.writeHead(303, { location: '/', 'set-cookie': guard.cookie(), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
    return void response.end()
  }
  if (!guard.hasCookie(request)) {
    return send(response, 401, { error: { code: 'E_STUDIO_TOKEN', message: 'No studio token: open the URL quarry studio printed (it carries ?token=…)' } })
  }
  const method = request.method ?? 'GET'
  if (method !== 'GET' && method !== 'HEAD') {
    if (state.readOnly) return send(response, 403, { error: { code: 'E_STUDIO_READ_ONLY', message: 'The studio runs with --read-only: writes are refused' } })
    if (!guard.csrfMatches(request)) return send(response, 403, { error: { code: 'E_STUDIO_CSRF', message: 'Missing or wrong x-quarry-csrf header: reload the page' } })
  }
  if (!url.pathname.startsWith('/api/')) return asset(response, url.pathname)
  try {
    const body = method === 'POST' || method === 'PATCH' ? await readJson(request) : undefined
    const [status, payload] = await api(method, url, body, state)
    send(response, status, payload)
  } catch (error) {
    sendError(response, error)
  }
}

async function api(method: string, url: URL, body: unknown, state: State): Promise<[number, unknown]> {
  const parts = url.pathname.slice('/api/'.length).split('/').filter(Boolean).map(decodeURIComponent)
  const { catalog } = state
  if (method === 'GET' && parts[0] === 'session' && parts.length === 1) {
    return [200, { csrf: state.guard.csrf, readOnly: state.readOnly }]
  }
  if (method === 'GET' && parts[0] === 'queries' && parts.length === 1) {
    return [200, { statements: state.log.since(Number(url.searchParams.get('since') ?? 0) || 0) }]
  }
  if (parts[0] !== 'models') throw new StudioNotFound(`No API route ${url.pathname}`)
  if (parts.length === 1 && method === 'GET') {
    const models = []
    for (const model of catalog) {
      let count: number | null = null
      try {
        count = Number(await model.model.query().count())
      } catch {
        count = null
      }
      models.push({ ...publicModel(model), count })
    }
    return [200, { models }]
  }
  const model = catalogModel(catalog, parts[1]!)
  if (parts.length === 2 && method === 'GET') return [200, { model: publicModel(model) }]
  if (parts[2] !== 'rows') throw new StudioNotFound(`No API route ${url.pathname}`)
  if (parts.length === 3 && method === 'GET') return [200, await listRows(model, parseRowsRequest(model, url.searchParams))]
  if (parts.length === 3 && method === 'POST') return [201, await createRow(model, valuesOf(body))]
  const key = parts[3]!
  if (parts.length === 4 && method === 'GET') return [200, await rowWithRelations(model, catalog, key)]
  if (parts.length === 4 && method === 'PATCH') return [200, await updateRow(model, key, valuesOf(body))]
  if (parts.length === 4 && method === 'DELETE') {
    await deleteRow(model, key)
    return [200, { deleted: true }]
  }
  if (parts.length === 6 && parts[4] === 'relations' && method === 'GET') {
    const row = await findRow(model, key)
    const page = Number(url.searchParams.get('page') ?? 1)
    if (!Number.isInteger(page) || page < 1) throw new StudioRequestError('page: expected a whole number of at least 1')
    return [200, await relatedPage(model, catalog, row, parts[5]!, page)]
  }
  throw new StudioNotFound(`No API route ${method} ${url.pathname}`)
}

function valuesOf(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !('values' in body)) throw new StudioRequestError('expected a JSON body { "values": { "property": value, ... } }')
  return (body as { values: unknown }).values
}

function asset(response: ServerResponse, path: string): void {
  const found = readAsset(path === '/' ? 'index.html' : path.slice(1))
  if (!found) return send(response, 404, { error: { code: 'E_STUDIO_NOT_FOUND', message: `No page ${path}` } })
  response.writeHead(200, { 'content-type': found.type, ...SECURITY_HEADERS })
  response.end(found.body)
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
}

function sendError(response: ServerResponse, error: unknown): void {
  if (error instanceof StudioWriteError) {
    return send(response, 422, { error: { code: error.errorCode, message: error.message, fields: error.fields } })
  }
  if (error instanceof StudioNotFound) return send(response, 404, { error: { code: error.code, message: error.message } })
  if (error instanceof StudioRequestError) return send(response, 400, { error: { code: error.code, message: error.message } })
  if (error instanceof QuarryError) return send(response, 422, { error: { code: error.code, message: error.message, fields: {} } })
  send(response, 500, { error: { code: 'E_STUDIO_INTERNAL', message: (error as Error).message } })
}

function send(response: ServerResponse, status: number, payload: unknown): void {
  if (response.headersSent) return void response.end()
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS })
  response.end(JSON.stringify(payload))
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        reject(new StudioRequestError('The body is over 1 MB'))
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      if (!text) return resolve(undefined)
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(new StudioRequestError('The body is not JSON'))
      }
    })
    request.on('error', reject)
  })
}

function close(server: Server, log: QueryLog): Promise<void> {
  log.close()
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
