// Each integration in a process of its own: on SIGTERM the app closes the framework's way, the
// request in flight commits and is answered, the pools close, and the process exits by itself.
import { type ChildProcess, spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'
import { call, createTables } from './support.js'

const root = resolve(import.meta.dirname, '../..')

interface Running {
  child: ChildProcess
  address: string
  output: () => string
  /** Resolves once the process printed `text`. */
  printed: (text: string) => Promise<void>
  exited: Promise<number | null>
}

function start(framework: string, url: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', join(root, 'scripts/register-ts.js'), join(root, 'tests/http/fixtures/server.ts'), framework], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const waiters: Array<() => void> = []
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  const onData = (chunk: Buffer) => {
    output += chunk.toString()
    for (const wake of waiters.splice(0)) wake()
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  const printed = (text: string) =>
    new Promise<void>((done, fail) => {
      const check = () => (output.includes(text) ? done() : waiters.push(check))
      void exited.then((code) => fail(new Error(`exited (${code}) before printing "${text}":\n${output}`)))
      check()
    })
  return printed('listening on').then(() => ({
    child,
    address: /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!,
    output: () => output,
    printed,
    exited,
  }))
}

forEachDialect(
  'integrations in their own process',
  (ctx) => {
    beforeAll(() => createTables(ctx.db))

    for (const framework of ['fastify', 'express']) {
      it(`${framework}: SIGTERM during a request's transaction → it commits and is answered, then the process exits by itself`, async () => {
        const server = await start(framework, ctx.target.url)
        const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000)
        try {
          const pending = call(server.address, 'POST', '/slow', { name: `${framework}-exit` })
          await server.printed('entered')
          server.child.kill('SIGTERM')
          expect(await pending).toMatchObject({ status: 200, body: { committed: true } })
          expect(await server.exited).toBe(0)
          expect(server.output()).toContain('closed')
          expect(await ctx.db.table('http_users').where('name', `${framework}-exit`)).toHaveLength(2)
        } finally {
          clearTimeout(timer)
        }
      }, 90_000)
    }
  },
  { only: ['sqlite', 'postgres'] },
)

forEachDialect(
  'integrations in their own process, idle',
  (ctx) => {
    beforeAll(() => createTables(ctx.db))

    for (const framework of ['fastify', 'express']) {
      it(`${framework}: SIGTERM before any request → the process exits by itself`, async () => {
        const server = await start(framework, ctx.target.url)
        const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000)
        try {
          server.child.kill('SIGTERM')
          expect(await server.exited).toBe(0)
          expect(server.output()).toContain('closed')
        } finally {
          clearTimeout(timer)
        }
      }, 90_000)
    }
  },
  { only: ['sqlite'] },
)
