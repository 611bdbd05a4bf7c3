// The blog-api example end to end: migrated, seeded, served by Fastify on a loopback port and
// called over HTTP; then the server as its own process, stopped by a signal.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildApp } from '../../examples/blog-api/app.js'
import { migrations } from '../../examples/blog-api/migrations.js'
import { DatabaseSeeder } from '../../examples/blog-api/seeders.js'
import { Migrator, runSeeder } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'
import { call, expectNoLeak } from './support.js'

interface Summary {
  slug: string
  title: string
  author: { id: number; name: string }
  tags: Array<{ name: string }>
  commentsCount: number
}

forEachDialect('blog-api example over HTTP', (ctx) => {
  let app: FastifyInstance
  let base: string

  beforeAll(async () => {
    app = await buildApp({ config: ctx.target.config() })
    await new Migrator(app.quarry, { bundled: migrations }).latest()
    await runSeeder(app.quarry, DatabaseSeeder)
    base = await app.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await app?.close()
  })

  it('lists published posts a page at a time, newest first, with authors, tags and comment counts', async () => {
    const first = await call(base, 'GET', '/posts')
    expect(first.status).toBe(200)
    const body = first.body as { data: Summary[]; meta: Record<string, unknown>; links: Record<string, unknown> }
    expect(body.meta).toEqual({ total: 10, perPage: 5, currentPage: 1, lastPage: 2, firstPage: 1, hasMorePages: true })
    expect(body.links).toEqual({ first: '/posts?page=1', last: '/posts?page=2', prev: null, next: '/posts?page=2' })
    expect(body.data.map((p) => p.slug)).toEqual(['notes-10-on-types', 'notes-9-on-databases', 'notes-8-on-types', 'notes-7-on-databases', 'notes-6-on-types'])
    expect(body.data[1]).toEqual({
      id: expect.any(Number),
      slug: 'notes-9-on-databases',
      title: 'Notes 9: on databases',
      publishedAt: '2026-01-09T12:00:00.000Z',
      author: { id: expect.any(Number), name: 'Ada' },
      tags: [{ id: expect.any(Number), name: 'databases' }, { id: expect.any(Number), name: 'history' }],
      commentsCount: 1,
    })
    const second = await call(base, 'GET', '/posts?page=2')
    expect((second.body as { data: Summary[] }).data.map((p) => p.slug).at(-1)).toBe('notes-1-on-databases')
    expect((second.body as { links: unknown }).links).toMatchObject({ prev: '/posts?page=1', next: null })
  })

  it('filters by tag, keeping the filter in the page links', async () => {
    const answer = await call(base, 'GET', '/posts?tag=history&perPage=2')
    const body = answer.body as { data: Summary[]; meta: { total: number }; links: { next: string } }
    expect(body.meta.total).toBe(3)
    expect(body.data.every((p) => p.tags.some((t) => t.name === 'history'))).toBe(true)
    expect(body.links.next).toBe('/posts?tag=history&perPage=2&page=2')
  })

  it('shows one post by slug with its comments and their authors', async () => {
    const answer = await call(base, 'GET', '/posts/notes-3-on-databases')
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      slug: 'notes-3-on-databases',
      body: 'Post number 3.',
      commentsCount: 3,
      comments: [
        { body: 'Comment 1 on post 3', author: { name: 'Alan' } },
        { body: 'Comment 2 on post 3', author: { name: 'Grace' } },
        { body: 'Comment 3 on post 3', author: { name: 'Ada' } },
      ],
    })
    expect((await call(base, 'GET', '/posts/no-such-post')).status).toBe(404)
  })

  it('creates posts with unique slugs and tags, comments on them and deletes them', async () => {
    const users = await call(base, 'GET', '/users/1')
    expect(users.body).toMatchObject({ id: 1, name: 'Ada', postsCount: 4 })
    const created = await call(base, 'POST', '/posts', { authorId: 1, title: 'Hello, World!', body: 'Hi.', tags: ['intro', 'typescript'] })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ slug: 'hello-world', author: { name: 'Ada' }, tags: [{ name: 'typescript' }, { name: 'intro' }] })
    const again = await call(base, 'POST', '/posts', { authorId: 2, title: 'Hello world', body: 'Again.' })
    expect(again.body).toMatchObject({ slug: 'hello-world-2', tags: [] })

    const comment = await call(base, 'POST', '/posts/hello-world/comments', { authorId: 3, body: 'Welcome!' })
    expect(comment).toMatchObject({ status: 201, body: { body: 'Welcome!', author: { name: 'Grace' } } })
    const mine = await call(base, 'GET', '/users/2/posts?perPage=1')
    expect(mine.body).toMatchObject({ data: [{ slug: 'hello-world-2' }], links: { first: '/users/2/posts?perPage=1&page=1' } })

    expect((await call(base, 'DELETE', '/posts/hello-world-2')).status).toBe(204)
    expect((await call(base, 'GET', '/posts/hello-world-2')).status).toBe(404)
  })

  it('answers bad requests with the mapped errors, carrying no SQL or values', async () => {
    const taken = await call(base, 'POST', '/users', { email: 'ada@example.com', name: 'Impostor' })
    expect(taken).toMatchObject({ status: 409, body: { code: 'E_UNIQUE_VIOLATION', fields: ['email'] } })
    expectNoLeak(taken.text, ['ada@example.com', 'Impostor'])
    const unfillable = await call(base, 'POST', '/posts', { authorId: 1, title: 'Sneaky', body: 'x', slug: 'chosen-slug' })
    expect(unfillable).toMatchObject({ status: 400, body: { code: 'E_MASS_ASSIGNMENT', fields: ['slug'] } })
    expectNoLeak(unfillable.text, ['chosen-slug', 'Sneaky'])
    const nobody = await call(base, 'POST', '/posts', { authorId: 999, title: 'Lost', body: 'x' })
    expect(nobody).toMatchObject({ status: 404, body: { code: 'E_MODEL_NOT_FOUND', message: 'User not found' } })
    expectNoLeak(nobody.text, ['999'])
  })
})

/** Starts the example server as a process; resolves with its address once it listens. */
function startServer(env: NodeJS.ProcessEnv, cwd: string): Promise<{ child: ChildProcess; address: string; output: () => string }> {
  const root = resolve(import.meta.dirname, '../..')
  const child = spawn(process.execPath, ['--import', join(root, 'scripts/register-ts.js'), join(root, 'examples/blog-api/server.ts'), '--seed'], {
    cwd,
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolvePromise, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) resolvePromise({ child, address: match[1]!, output: () => output })
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)))
  })
}

forEachDialect(
  'blog-api example as a process',
  (ctx) => {
    it('serves, and on SIGTERM closes and exits by itself', async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'quarry-blog-'))
      try {
        const { child, address, output } = await startServer({ DATABASE_URL: ctx.target.url }, cwd)
        const posts = await call(address, 'GET', '/posts?perPage=1')
        expect(posts).toMatchObject({ status: 200, body: { meta: { total: 10 } } })
        const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
        const code = await exited
        clearTimeout(timer)
        // Exited on its own (no process.exit in the example): every pool and socket was closed.
        expect(code).toBe(0)
        expect(output()).toContain('closed')
      } finally {
        rmSync(cwd, { recursive: true, force: true })
      }
    }, 90_000)
  },
  { only: ['sqlite', 'postgres'] },
)
