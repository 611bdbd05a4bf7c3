// The Express middleware and error handler over real HTTP: Express's own server on a loopback
// port, called with fetch.
import express from 'express'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type QuarryExpressOptions, quarryErrorHandler, quarryMiddleware, type QuarryMiddleware } from '../../src/http/express.js'
import type { Database, QueryEvent } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { routes, type SlowControl } from './routes.js'
import { call, createTables, expectNoLeak, latch, replicaConfig, roleOf } from './support.js'

const slow: { current?: SlowControl } = {}

interface Served {
  server: Server
  base: string
  middleware: QuarryMiddleware
  db: Database
  logged: unknown[]
}

async function build(options: QuarryExpressOptions, mapErrors = true): Promise<Served> {
  const app = express()
  const middleware = quarryMiddleware(options)
  const logged: unknown[] = []
  // The body reader comes after the middleware on purpose: the request's scope must survive it.
  app.use(middleware)
  app.use(readJson)
  for (const route of routes(slow)) {
    const register = route.method === 'GET' ? app.get.bind(app) : app.post.bind(app)
    register(route.path, async (req, res) => {
      const out = await route.handler({
        params: req.params as Record<string, string>,
        query: req.query as Record<string, string>,
        body: (req.body ?? {}) as Record<string, unknown>,
        db: req.quarry,
      })
      res.status(out.status ?? 200).json(out.body ?? null)
    })
  }
  if (mapErrors) app.use(quarryErrorHandler({ log: (error) => logged.push(error) }))
  // Express's own last handler would print the stack; answer plainly instead.
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ message: error.message, fallback: true })
  })
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { server, base, middleware, db: await middleware.ready(), logged }
}

/**
 * A body reader of the plainest kind (stream events, no async context kept), as many parsers
 * are; express.json() keeps the context itself, so it would not show whether the middleware does.
 */
function readJson(req: express.Request, _res: express.Response, next: express.NextFunction): void {
  if (req.method === 'GET') return next()
  let text = ''
  req.setEncoding('utf8')
  req.on('data', (chunk: string) => (text += chunk))
  req.on('end', () => {
    try {
      req.body = text ? JSON.parse(text) : {}
    } catch (error) {
      return next(error)
    }
    next()
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
}

forEachDialect('express middleware: errors, scopes, resources', (ctx) => {
  let served: Served
  const events: QueryEvent[] = []

  beforeAll(async () => {
    await createTables(ctx.db)
    served = await build({ config: replicaConfig(ctx) })
    served.db.on('query', (e) => events.push(e))
    await call(served.base, 'POST', '/users', { email: 'ada@example.com', name: 'Ada' })
  })
  afterAll(async () => {
    if (served) await closeServer(served.server)
    await served?.middleware.close()
  })

  it('sets req.quarry to the Database it connected', async () => {
    expect(typeof served.db.transaction).toBe('function')
    expect(await served.middleware.ready()).toBe(served.db)
  })

  it('ModelNotFoundError → 404, without the key asked for', async () => {
    const answer = await call(served.base, 'GET', '/users/987654')
    expect(answer.status).toBe(404)
    expect(answer.body).toEqual({ statusCode: 404, error: 'Not Found', code: 'E_MODEL_NOT_FOUND', message: 'User not found' })
    expectNoLeak(answer.text, ['987654'])
  })

  it('UniqueViolationError → 409 naming the field, not the value', async () => {
    const answer = await call(served.base, 'POST', '/users', { email: 'ada@example.com', name: 'Again' })
    expect(answer.status).toBe(409)
    expect(answer.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'E_UNIQUE_VIOLATION', fields: ['email'] })
    expectNoLeak(answer.text, ['ada@example.com', 'Again'])
    expect(await ctx.db.table('http_users').where('name', 'Again')).toHaveLength(0)
  })

  it('MassAssignmentError → 400 naming the keys; nothing is written', async () => {
    const answer = await call(served.base, 'POST', '/users', { email: 'eve@example.com', name: 'Eve', apiToken: 'tok-stolen' })
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'E_MASS_ASSIGNMENT', fields: ['apiToken'] })
    expectNoLeak(answer.text, ['tok-stolen', 'eve@example.com'])
    expect(await ctx.db.table('http_users').where('email', 'eve@example.com')).toHaveLength(0)
  })

  it('UnknownColumnError → 400 naming the field', async () => {
    const answer = await call(served.base, 'GET', '/users?sort=passwordHash')
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ code: 'E_UNKNOWN_COLUMN', fields: ['passwordHash'] })
    expectNoLeak(answer.text, [])
  })

  it('InvalidCursorError → 400, echoing nothing of the cursor', async () => {
    const forged = Buffer.from('{"v":[1],"s":"forged-signature"}').toString('base64url')
    const answer = await call(served.base, 'GET', `/users-by-cursor?cursor=${forged}`)
    expect(answer.status).toBe(400)
    expect(answer.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'E_INVALID_CURSOR',
      message: 'Invalid pagination cursor; start again without one',
    })
    expectNoLeak(answer.text, [forged, 'forged-signature'])
    expect((await call(served.base, 'GET', '/users-by-cursor')).status).toBe(200)
  })

  it('other Quarry errors → 500 with their code and a generic message, logged on the server', async () => {
    served.logged.length = 0
    const fk = await call(served.base, 'POST', '/posts', { authorId: 424242, title: 'Orphan title' })
    expect(fk.status).toBe(500)
    expect(fk.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'E_FOREIGN_KEY_VIOLATION',
      message: 'The database could not complete the request',
    })
    expectNoLeak(fk.text, ['424242', 'Orphan title', 'http_posts'])
    const timeout = await call(served.base, 'GET', '/timeout')
    expect(timeout.status).toBe(500)
    expect(timeout.body).toMatchObject({ code: 'E_QUERY_TIMEOUT' })
    expectNoLeak(timeout.text, ['tok-secret-1', 'http_users'])
    expect(served.logged.map((e) => (e as { code: string }).code)).toEqual(['E_FOREIGN_KEY_VIOLATION', 'E_QUERY_TIMEOUT'])
  })

  it('hands other errors on to the next error handler', async () => {
    const answer = await call(served.base, 'GET', '/plain-error')
    expect(answer).toMatchObject({ status: 500, body: { message: 'not a Quarry error', fallback: true } })
  })

  it('each request is a scope, through the body parser: after its write, its reads go to the primary', async () => {
    events.length = 0
    expect((await call(served.base, 'POST', '/sticky', { marker: 'one' })).status).toBe(200)
    expect(roleOf(events, 'one-before')).toBe('read')
    expect(roleOf(events, 'one@example.com')).toBe('write')
    expect(roleOf(events, 'one-after')).toBe('write')
    await call(served.base, 'GET', '/probe?marker=next')
    expect(roleOf(events, 'next')).toBe('read')
  })

  it('stickiness does not leak into requests served at the same time', async () => {
    events.length = 0
    const entered = latch()
    const gate = latch()
    slow.current = { entered: entered.open, gate: gate.promise }
    const writer = call(served.base, 'POST', '/sticky', { marker: 'two', hold: true })
    await entered.promise
    await call(served.base, 'GET', '/probe?marker=concurrent')
    gate.open()
    expect((await writer).status).toBe(200)
    expect(roleOf(events, 'concurrent')).toBe('read')
    expect(roleOf(events, 'two-after')).toBe('write')
  })

  it('resources: whenLoaded, whenCounted, and paginated links from the request URL', async () => {
    const [ada] = await ctx.db.table('http_users').where('email', 'ada@example.com').select('id')
    await ctx.db.table('http_posts').insert({ author_id: ada!.id, title: 'First' })
    const one = await call(served.base, 'GET', `/users/${ada!.id}`)
    expect(one.body).toEqual({ id: ada!.id, email: 'ada@example.com', name: 'Ada', posts: [{ id: expect.any(Number), title: 'First' }], postsCount: 1 })
    const page = await call(served.base, 'GET', '/users?perPage=1&page=2&sort=email')
    const total = Number((await ctx.db.table('http_users').count({ n: '*' }))[0]!.n)
    expect(page.body).toMatchObject({
      meta: { total, perPage: 1, currentPage: 2, lastPage: total },
      links: {
        first: '/users?perPage=1&page=1&sort=email',
        last: `/users?perPage=1&page=${total}&sort=email`,
        prev: '/users?perPage=1&page=1&sort=email',
      },
    })
  })
})

forEachDialect('express middleware: options', (ctx) => {
  beforeAll(() => createTables(ctx.db))

  it('without quarryErrorHandler, Quarry errors go to the app; baseUrl makes page links absolute', async () => {
    const served = await build({ config: ctx.target.config(), baseUrl: 'https://api.example.com' }, false)
    try {
      const missing = await call(served.base, 'GET', '/users/5')
      expect(missing).toMatchObject({ status: 500, body: { fallback: true } })
      const page = await call(served.base, 'GET', '/users?perPage=1')
      expect(page.body).toMatchObject({ links: { first: 'https://api.example.com/users?perPage=1&page=1', next: null } })
    } finally {
      await closeServer(served.server)
      await served.middleware.close()
    }
  })

  it('a bad config answers every request through the error handler, naming no secret', async () => {
    const served = express()
    const middleware = quarryMiddleware({ config: 'postgres://app:hunter2@127.0.0.1:1/nowhere?connect_timeout=1' })
    served.use(middleware)
    served.use(quarryErrorHandler({ log: false }))
    const server = await new Promise<Server>((resolve) => {
      const listening = served.listen(0, '127.0.0.1', () => resolve(listening))
    })
    try {
      const answer = await call(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'GET', '/anything')
      expect(answer.status).toBe(500)
      expect(answer.body).toMatchObject({ code: 'E_CONNECTION' })
      expectNoLeak(answer.text, ['hunter2'])
      await expect(middleware.ready()).rejects.toMatchObject({ code: 'E_CONNECTION' })
    } finally {
      await closeServer(server)
    }
  })
})

forEachDialect(
  'express middleware: connecting',
  () => {
    it('a database that cannot be opened at the first request is tried again by the next one', async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'quarry-late-')), 'not-yet')
      const app = express()
      const middleware = quarryMiddleware({ config: `sqlite:${join(dir, 'app.db')}` })
      app.use(middleware)
      app.get('/', async (req, res) => {
        res.json(await req.quarry.raw('select 1 as one'))
      })
      app.use(quarryErrorHandler({ log: false }))
      const server = await new Promise<Server>((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
      })
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      try {
        const down = await call(base, 'GET', '/')
        expect(down).toMatchObject({ status: 500, body: { code: 'E_CONNECTION' } })
        expectNoLeak(down.text, [dir])
        mkdirSync(dir)
        expect(await call(base, 'GET', '/')).toMatchObject({ status: 200, body: [{ one: 1 }] })
      } finally {
        await closeServer(server)
        await middleware.close()
        rmSync(dirname(dir), { recursive: true, force: true })
      }
    })
  },
  { only: ['sqlite'] },
)

forEachDialect('express middleware: shutdown', (ctx) => {
  beforeAll(() => createTables(ctx.db))

  it("server.close() waits for an in-flight request's transaction, then the pools close", async () => {
    const served = await build({ config: ctx.target.config() })
    const entered = latch()
    const gate = latch()
    slow.current = { entered: entered.open, gate: gate.promise }
    const pending = call(served.base, 'POST', '/slow', { name: 'inflight' })
    await entered.promise
    let closed = false
    const closing = closeServer(served.server).then(() => {
      closed = true
    })
    await sleep(300)
    expect(closed).toBe(false)
    gate.open()
    expect(await pending).toMatchObject({ status: 200, body: { committed: true } })
    await closing
    expect(await ctx.db.table('http_users').where('name', 'inflight')).toHaveLength(2)
    // The server's close started the pools' close by itself; it finishes soon after.
    const deadline = Date.now() + 5000
    while (Date.now() < deadline && Object.values(served.db.stats()).some((s) => s.write.size > 0)) await sleep(20)
    await expect(served.db.raw('select 1')).rejects.toThrow()
  })

  it('middleware.close() called directly waits for the requests in flight before closing the pools', async () => {
    const served = await build({ config: ctx.target.config() })
    try {
      const entered = latch()
      const gate = latch()
      slow.current = { entered: entered.open, gate: gate.promise }
      const pending = call(served.base, 'POST', '/slow', { name: 'direct' })
      await entered.promise
      let closed = false
      const closing = served.middleware.close().then(() => {
        closed = true
      })
      await sleep(300)
      expect(closed).toBe(false)
      gate.open()
      expect(await pending).toMatchObject({ status: 200, body: { committed: true } })
      await closing
      expect(await ctx.db.table('http_users').where('name', 'direct')).toHaveLength(2)
      await expect(served.db.raw('select 1')).rejects.toThrow()
    } finally {
      await closeServer(served.server)
    }
  })
})
