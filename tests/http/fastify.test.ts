// The Fastify plugin over real HTTP: Fastify's own server on a loopback port, called with fetch.
import Fastify, { type FastifyInstance } from 'fastify'
import { createConnection } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import quarry, { type QuarryFastifyOptions } from '../../src/http/fastify.js'
import type { QueryEvent } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { routes, type SlowControl } from './routes.js'
import { call, createTables, expectNoLeak, latch, replicaConfig, roleOf } from './support.js'

const slow: { current?: SlowControl } = {}

async function build(options: QuarryFastifyOptions): Promise<{ app: FastifyInstance; base: string }> {
  const app = Fastify({ logger: false })
  await app.register(quarry, options)
  for (const route of routes(slow)) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const out = await route.handler({
          params: request.params as Record<string, string>,
          query: request.query as Record<string, string>,
          body: (request.body ?? {}) as Record<string, unknown>,
          db: request.quarry,
        })
        return reply.status(out.status ?? 200).send(out.body)
      },
    })
  }
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, base }
}

forEachDialect('fastify plugin: errors, scopes, resources', (ctx) => {
  let app: FastifyInstance
  let base: string
  const events: QueryEvent[] = []

  beforeAll(async () => {
    await createTables(ctx.db)
    ;({ app, base } = await build({ config: replicaConfig(ctx) }))
    app.quarry.on('query', (e) => events.push(e))
    await call(base, 'POST', '/users', { email: 'ada@example.com', name: 'Ada' })
  })
  afterAll(async () => {
    await app?.close()
  })

  it('decorates the app and each request with the Database', async () => {
    expect(typeof app.quarry.transaction).toBe('function')
    expect(app.hasRequestDecorator('quarry')).toBe(true)
  })

  it('ModelNotFoundError → 404, without the key asked for', async () => {
    const answer = await call(base, 'GET', '/users/987654')
    expect(answer.status).toBe(404)
    expect(answer.body).toEqual({ statusCode: 404, error: 'Not Found', code: 'E_MODEL_NOT_FOUND', message: 'User not found' })
    expectNoLeak(answer.text, ['987654'])
  })

  it('UniqueViolationError → 409 naming the field, not the value', async () => {
    const answer = await call(base, 'POST', '/users', { email: 'ada@example.com', name: 'Again' })
    expect(answer.status).toBe(409)
    expect(answer.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'E_UNIQUE_VIOLATION', fields: ['email'] })
    expectNoLeak(answer.text, ['ada@example.com', 'Again'])
    expect(await ctx.db.table('http_users').where('name', 'Again')).toHaveLength(0)
  })

  it('MassAssignmentError → 400 naming the keys; nothing is written', async () => {
    const answer = await call(base, 'POST', '/users', { email: 'eve@example.com', name: 'Eve', apiToken: 'tok-stolen' })
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'E_MASS_ASSIGNMENT', fields: ['apiToken'] })
    expectNoLeak(answer.text, ['tok-stolen', 'eve@example.com'])
    expect(await ctx.db.table('http_users').where('email', 'eve@example.com')).toHaveLength(0)
  })

  it('UnknownColumnError → 400 naming the field', async () => {
    const answer = await call(base, 'GET', '/users?sort=passwordHash')
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ code: 'E_UNKNOWN_COLUMN', fields: ['passwordHash'] })
    expectNoLeak(answer.text, [])
  })

  it('InvalidCursorError → 400, echoing nothing of the cursor', async () => {
    const forged = Buffer.from('{"v":[1],"s":"forged-signature"}').toString('base64url')
    const answer = await call(base, 'GET', `/users-by-cursor?cursor=${forged}`)
    expect(answer.status).toBe(400)
    expect(answer.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'E_INVALID_CURSOR',
      message: 'Invalid pagination cursor; start again without one',
    })
    expectNoLeak(answer.text, [forged, 'forged-signature'])
    expect((await call(base, 'GET', '/users-by-cursor')).status).toBe(200)
  })

  it('other Quarry errors → 500 with their code and a generic message (no SQL, no values)', async () => {
    // A foreign key violation: the driver's message names the statement and the values.
    const fk = await call(base, 'POST', '/posts', { authorId: 424242, title: 'Orphan title' })
    expect(fk.status).toBe(500)
    expect(fk.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'E_FOREIGN_KEY_VIOLATION',
      message: 'The database could not complete the request',
    })
    expectNoLeak(fk.text, ['424242', 'Orphan title', 'http_posts'])
    // A timeout's message quotes its SQL.
    const timeout = await call(base, 'GET', '/timeout')
    expect(timeout.status).toBe(500)
    expect(timeout.body).toMatchObject({ code: 'E_QUERY_TIMEOUT' })
    expectNoLeak(timeout.text, ['tok-secret-1', 'http_users'])
  })

  it('leaves other errors to the error handler set before', async () => {
    const answer = await call(base, 'GET', '/plain-error')
    expect(answer.status).toBe(500)
    expect(answer.body).toMatchObject({ message: 'not a Quarry error' })
  })

  it('each request is a scope: after its write, its reads go to the primary; other requests read replicas', async () => {
    events.length = 0
    expect((await call(base, 'POST', '/sticky', { marker: 'one' })).status).toBe(200)
    expect(roleOf(events, 'one-before')).toBe('read')
    expect(roleOf(events, 'one@example.com')).toBe('write')
    expect(roleOf(events, 'one-after')).toBe('write')
    // The next request starts clean.
    await call(base, 'GET', '/probe?marker=next')
    expect(roleOf(events, 'next')).toBe('read')
  })

  it('stickiness does not leak into requests served at the same time', async () => {
    events.length = 0
    const entered = latch()
    const gate = latch()
    slow.current = { entered: entered.open, gate: gate.promise }
    const writer = call(base, 'POST', '/sticky', { marker: 'two', hold: true })
    await entered.promise
    // The writer has written and is still in flight: a concurrent request still reads replicas.
    await call(base, 'GET', '/probe?marker=concurrent')
    gate.open()
    expect((await writer).status).toBe(200)
    expect(roleOf(events, 'concurrent')).toBe('read')
    expect(roleOf(events, 'two-after')).toBe('write')
  })

  it('page links never take a host from the request (absolute-form request line, Host header)', async () => {
    const answer = await rawRequest(base, 'GET http://evil.example/users?perPage=1 HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n')
    expect(answer).toMatch(/^HTTP\/1\.1 200/)
    const links = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).links as Record<string, string>
    expect(links.first).toBe('/users?perPage=1&page=1')
    expect(JSON.stringify(links)).not.toContain('evil')
  })

  it('resources: whenLoaded, whenCounted, and paginated links from the request URL', async () => {
    const [ada] = await ctx.db.table('http_users').where('email', 'ada@example.com').select('id')
    await ctx.db.table('http_posts').insert({ author_id: ada!.id, title: 'First' })
    const one = await call(base, 'GET', `/users/${ada!.id}`)
    expect(one.body).toEqual({ id: ada!.id, email: 'ada@example.com', name: 'Ada', posts: [{ id: expect.any(Number), title: 'First' }], postsCount: 1 })

    for (const name of ['b', 'c', 'd']) await call(base, 'POST', '/users', { email: `${name}@example.com`, name })
    const total = Number((await ctx.db.table('http_users').count({ n: '*' }))[0]!.n)
    const page = await call(base, 'GET', '/users?perPage=2&page=2&sort=id')
    const lastPage = Math.ceil(total / 2)
    expect(page.body).toMatchObject({
      meta: { total, perPage: 2, currentPage: 2, lastPage, firstPage: 1 },
      links: {
        first: '/users?perPage=2&page=1&sort=id',
        last: `/users?perPage=2&page=${lastPage}&sort=id`,
        prev: '/users?perPage=2&page=1&sort=id',
        next: lastPage > 2 ? '/users?perPage=2&page=3&sort=id' : null,
      },
    })
    const data = (page.body as { data: Array<Record<string, unknown>> }).data
    expect(data).toHaveLength(2)
    // Neither loaded nor counted on this route: both keys left out.
    expect(Object.keys(data[0]!).sort()).toEqual(['email', 'id', 'name'])
  })
})

/** A request sent as raw bytes, for request lines fetch() would not send. */
function rawRequest(base: string, head: string): Promise<string> {
  const { port } = new URL(base)
  return new Promise((resolve, reject) => {
    // Written, not ended: the server would drop a half-closed request. `Connection: close` ends it.
    const socket = createConnection({ host: '127.0.0.1', port: Number(port) }, () => socket.write(head))
    let text = ''
    socket.on('data', (chunk) => (text += chunk.toString()))
    socket.on('end', () => resolve(text))
    socket.on('error', reject)
  })
}

forEachDialect('fastify plugin: options', (ctx) => {
  beforeAll(() => createTables(ctx.db))

  it('errors: false leaves Quarry errors to Fastify; baseUrl makes page links absolute', async () => {
    const { app, base } = await build({ config: ctx.target.config(), errors: false, baseUrl: 'https://api.example.com/' })
    try {
      const missing = await call(base, 'GET', '/users/5')
      expect(missing.status).toBe(500)
      expect(missing.body).toMatchObject({ code: 'E_MODEL_NOT_FOUND' })
      const page = await call(base, 'GET', '/users?perPage=1')
      expect(page.body).toMatchObject({
        links: { first: 'https://api.example.com/users?perPage=1&page=1', prev: null, next: null },
      })
    } finally {
      await app.close()
    }
  })

  it('a bad config fails registration with the ConfigError, before listening', async () => {
    const app = Fastify({ logger: false })
    await expect(app.register(quarry, { config: { connections: { main: { driver: 'nope' as 'sqlite' } } } })).rejects.toMatchObject({
      code: 'E_CONFIG',
    })
    await app.close().catch(() => undefined)
  })
})

forEachDialect('fastify plugin: shutdown', (ctx) => {
  beforeAll(() => createTables(ctx.db))

  it("app.close() waits for an in-flight request's transaction, then closes the pools", async () => {
    const { app, base } = await build({ config: ctx.target.config() })
    const entered = latch()
    const gate = latch()
    slow.current = { entered: entered.open, gate: gate.promise }
    const pending = call(base, 'POST', '/slow', { name: 'inflight' })
    await entered.promise
    let closed = false
    const closing = app.close().then(() => {
      closed = true
    })
    await sleep(300)
    expect(closed).toBe(false)
    gate.open()
    const answer = await pending
    expect(answer).toMatchObject({ status: 200, body: { committed: true } })
    await closing
    expect(await ctx.db.table('http_users').where('name', 'inflight')).toHaveLength(2)
    // The pools are closed: the process has nothing left to keep it alive.
    await expect(app.quarry.raw('select 1')).rejects.toThrow()
    expect(Object.values(app.quarry.stats()).every((s) => s.write.size === 0)).toBe(true)
  })
})
