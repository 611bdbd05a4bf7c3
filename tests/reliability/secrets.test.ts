import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { connect, ConnectionError, type ConnectionConfig, type Database, QuarryError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

/**
 * A password given in a URL or in an object config never appears in anything Quarry produces:
 * errors (message, stack, every cause, inspect and JSON), inspect/toString/JSON of the database,
 * its connections and their resolved config, query events, pool timeouts, health checks, console
 * output, and the CLI's output. Everything is captured, then searched for the password.
 */

const SECRET = 'S3cr3t-pa55word'
const BIN = resolve(import.meta.dirname, '../../bin/quarry.js')

/** With the password in the URL (percent-encoding it would change nothing here: it has no special characters). */
function withPassword(url: string, password = SECRET): string {
  const parsed = new URL(url)
  parsed.password = password
  return parsed.toString()
}

/** The same node as an object config. */
function objectConfig(url: string, password = SECRET): ConnectionConfig {
  const parsed = new URL(url)
  return {
    driver: parsed.protocol.startsWith('postgres') ? 'postgres' : 'mysql',
    host: parsed.hostname,
    port: Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password,
    database: parsed.pathname.slice(1),
  }
}

function quarry(cwd: string, args: string[], env: Record<string, string>): Promise<string> {
  const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', DATABASE_URL: undefined, ...env }
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key]
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv as NodeJS.ProcessEnv })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve(`${out}\n[exit ${code}]`)))
}

forEachDialect('secrets', (ctx) => {
  const captured: string[] = []
  /** Everything Quarry wrote to the console while the suite ran. */
  const restore: Array<() => void> = []
  let user = ''
  let url = ''
  let wrongPasswordUrl = ''
  let dir = ''

  /** An error with its stack, its inspect and JSON forms, and every cause down the chain. */
  function captureError(error: unknown): void {
    for (let current = error, depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
      captured.push(String((current as Error).message), String((current as Error).stack), inspect(current, { depth: 10 }), safeJson(current))
      current = (current as { cause?: unknown }).cause
    }
  }
  const capture = (value: unknown) => captured.push(typeof value === 'string' ? value : `${inspect(value, { depth: 10 })}\n${safeJson(value)}\n${String(value)}`)

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream)
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        captured.push(String(chunk))
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest)
      }) as typeof stream.write
      restore.push(() => (stream.write = write))
    }
    for (const level of ['log', 'warn', 'error', 'info', 'debug'] as const) {
      const original = console[level]
      console[level] = (...args: unknown[]) => {
        captured.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10 }))).join(' '))
        original(...args)
      }
      restore.push(() => (console[level] = original))
    }
    url = ctx.target.url
    if (ctx.dialect === 'mysql') {
      // A user that needs the password, so that a wrong one is refused.
      user = `quarry_secret_${Math.random().toString(36).slice(2, 8)}`
      await ctx.db.raw(`create user '${user}'@'%' identified by '${SECRET}'`)
      await ctx.db.raw(`grant all on \`${new URL(url).pathname.slice(1)}\`.* to '${user}'@'%'`)
      const parsed = new URL(url)
      parsed.username = user
      url = parsed.toString()
    }
    wrongPasswordUrl = ctx.dialect === 'mysql' ? withPassword(url, `${SECRET}-wrong`) : withPassword(url)
    dir = mkdtempSync(join(tmpdir(), 'quarry-secrets-'))
    mkdirSync(join(dir, 'migrations'))
  })

  afterAll(async () => {
    for (const undo of restore.reverse()) undo()
    if (user) await ctx.db.raw(`drop user '${user}'@'%'`)
    rmSync(dir, { recursive: true, force: true })
  })

  it('connect errors: unreachable host, missing database, refused password, invalid config', async () => {
    const missingDb = (u: string) => {
      const parsed = new URL(u)
      parsed.pathname = '/quarry_no_such_database'
      return parsed.toString()
    }
    const unreachable = (u: string) => {
      const parsed = new URL(u)
      parsed.port = '1'
      return parsed.toString()
    }
    const attempts: unknown[] = [
      withPassword(unreachable(url)),
      { ...objectConfig(unreachable(url)) },
      withPassword(missingDb(url)),
      objectConfig(missingDb(url)),
      ctx.dialect === 'mysql' ? wrongPasswordUrl : withPassword(url),
      { url: withPassword(url).replace(/^\w+:/, 'postgress:') },
      { url: withPassword(url), pool: { max: 0 } },
      { ...objectConfig(url), port: 99_999 },
      { ...objectConfig(url), unknownOption: SECRET.length },
      { default: 'main', connections: { main: withPassword(url), replica: { url: withPassword(url).replace('//', '') } } },
    ]
    if (ctx.dialect === 'mysql') attempts.push(objectConfig(url, `${SECRET}-wrong`), { ...objectConfig(url), user: 'root' })
    let failed = 0
    for (const config of attempts) {
      const options = typeof config === 'string' ? { url: config, connectRetries: 0 } : { connectRetries: 0, ...(config as object) }
      const error = await connect(options as ConnectionConfig).then(async (db) => {
        capture(db)
        await db.close()
      }, (e: unknown) => e)
      if (error) {
        failed++
        expect(error).toBeInstanceOf(QuarryError)
        captureError(error)
      }
    }
    expect(failed).toBeGreaterThanOrEqual(8)
  })

  it('a connected database: inspect, toString and JSON of it, its connections and their config; query errors and events; pool timeouts; health', async () => {
    for (const config of [{ url: withPassword(url) }, objectConfig(url)] as ConnectionConfig[]) {
      const db: Database = await connect({ ...config, pool: { min: 0, max: 1, acquireTimeoutMs: 200 } })
      try {
        const events: unknown[] = []
        db.on('query', (e) => events.push(e))
        for (const value of [db, db.connection(), db.connection().config, db.connection().config.write, db.stats(), await db.healthCheck()]) capture(value)
        captureError(await db.raw('select * from quarry_no_such_table where x = ?', [1]).catch((e: unknown) => e))
        captureError(await db.raw('select syntax error here').catch((e: unknown) => e))
        // Starve the pool of one: the next query times out waiting.
        let release!: () => void
        const held = new Promise<void>((r) => (release = r))
        let inside!: () => void
        const entered = new Promise<void>((r) => (inside = r))
        const holder = db.transaction(async () => {
          await db.raw('select 1 as held')
          inside()
          await held
        })
        await entered
        const timeout = await db.raw('select 1 as starved').catch((e: unknown) => e)
        expect(timeout).toBeInstanceOf(ConnectionError)
        captureError(timeout)
        release()
        await holder
        capture(events)
        expect(events.length).toBeGreaterThan(0)
      } finally {
        await db.close()
      }
      // A closed database refuses work; what it says is captured too.
      captureError(await db.raw('select 1').catch((e: unknown) => e))
      capture(await db.healthCheck().catch((e: unknown) => e))
    }
  })

  it('the CLI: migrate:status with the password in DATABASE_URL or in the config file, refused or not, with and without --verbose', async () => {
    const config = (connection: ConnectionConfig) => `export default ${JSON.stringify({ connections: { main: connection }, migrations: { directory: 'migrations' } })}\n`
    const runs: Array<[Record<string, string>, string[]]> = [
      [{ DATABASE_URL: wrongPasswordUrl }, ['migrate:status']],
      [{ DATABASE_URL: wrongPasswordUrl }, ['migrate:status', '--verbose']],
      [{ DATABASE_URL: withPassword(url).replace(/:\d+\//, ':1/') }, ['migrate:status', '--verbose']],
      [{ DATABASE_URL: withPassword(url) }, ['migrate:status']],
      [{ DATABASE_URL: withPassword(url) }, ['migrate', '--dry-run']],
    ]
    writeFileSync(join(dir, 'quarry.config.mjs'), config(objectConfig(url, ctx.dialect === 'mysql' ? `${SECRET}-wrong` : SECRET)))
    const outputs = await Promise.all(runs.map(([env, args]) => quarry(dir, args, env)))
    outputs.push(await quarry(dir, ['migrate:status', '--verbose'], {}))
    writeFileSync(join(dir, 'quarry.config.mjs'), config(objectConfig(url)))
    outputs.push(await quarry(dir, ['migrate:status'], {}))
    for (const output of outputs) capture(output)
    // PostgreSQL here trusts local connections: only the unreachable port fails there.
    expect(outputs.filter((o) => o.includes('[exit 1]')).length).toBeGreaterThanOrEqual(1)
    expect(outputs.filter((o) => o.includes('[exit 0]')).length).toBeGreaterThanOrEqual(2)
  })

  it('nothing captured holds the password', () => {
    expect(captured.length).toBeGreaterThan(50)
    const leaks = captured.filter((text) => text.includes(SECRET) || text.includes(encodeURIComponent(SECRET)))
    expect(leaks.map((l) => l.slice(Math.max(0, l.indexOf(SECRET) - 300), l.indexOf(SECRET) + 100))).toEqual([])
  })
}, { only: ['postgres', 'mysql'], because: 'embedded databases have no password to leak' })

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch (error) {
    return `(not JSON: ${(error as Error).message})`
  }
}

it('a libSQL auth token, an encryption key and a URL token are hidden like passwords in the resolved config', async () => {
  const { resolveConfig } = await import('../../src/connection/config.js')
  const resolved = resolveConfig({
    default: 'edge',
    connections: {
      edge: { driver: 'libsql', url: `libsql://db.example.com?authToken=${SECRET}`, authToken: SECRET, encryptionKey: SECRET },
      replica: { driver: 'libsql', url: 'libsql:file:replica.db', syncUrl: `libsql://u:${SECRET}@db.example.com`, authToken: SECRET },
    },
  })
  const shown = inspect(resolved, { depth: 10 }) + JSON.stringify(resolved)
  expect(shown).toContain('db.example.com')
  expect(shown).toContain('***')
  expect(shown).not.toContain(SECRET)
  // The driver still gets them.
  expect(resolved.connections[0]!.write.authToken).toBe(SECRET)
})
