import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, ConnectionError, Database, defaultDatabase } from '../../src/index.js'

const ROOT = resolve(import.meta.dirname, '../..')

/** Runs a snippet in a fresh Node process (through the TypeScript loader) from `cwd`. */
function runNode(code: string, cwd: string, env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, ['--import', join(ROOT, 'scripts/register-ts.js'), '--input-type=module', '-e', code], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  })
  return result
}

describe('connect() without an argument', () => {
  let dir: string
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('opens ./quarry.sqlite when DATABASE_URL is unset, and the process exits after close()', () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-default-'))
    const result = runNode(
      `import { connect } from ${JSON.stringify(join(ROOT, 'src/index.ts'))}
       const db = await connect()
       await db.raw('create table t (id integer primary key)')
       console.log(db.connection().config.driver, db.connection().config.write.filename)
       await db.close()`,
      dir,
      { DATABASE_URL: undefined },
    )
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout.trim()).toBe('sqlite ./quarry.sqlite')
    expect(existsSync(join(dir, 'quarry.sqlite'))).toBe(true)
  })

  it('uses DATABASE_URL when it is set', () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-env-'))
    const result = runNode(
      `import { connect } from ${JSON.stringify(join(ROOT, 'src/index.ts'))}
       const db = await connect()
       console.log(db.connection().config.driver, db.connection().config.write.label)
       await db.close()`,
      dir,
      { DATABASE_URL: 'libsql::memory:' },
    )
    expect(result.stderr).toBe('')
    expect(result.stdout.trim()).toBe('libsql :memory:')
    expect(existsSync(join(dir, 'quarry.sqlite'))).toBe(false)
  })

  it('ignores DATABASE_URL when a config is given', async () => {
    const previous = process.env.DATABASE_URL
    process.env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/none'
    try {
      const db = await connect('sqlite::memory:')
      expect(db.connection().config.driver).toBe('sqlite')
      await db.close()
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL
      else process.env.DATABASE_URL = previous
    }
  })
})

describe('an unreachable server', () => {
  for (const [driver, url] of [
    ['postgres', 'postgres://app:s3cretpw@127.0.0.1:1/app'],
    ['mysql', 'mysql://app:s3cretpw@127.0.0.1:1/app'],
  ] as const) {
    it(`is a ConnectionError naming ${driver}'s host and port after the retries, never the password`, async () => {
      const started = Date.now()
      const error = await connect({ url, connectRetries: 2, connectRetryDelayMs: 50 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConnectionError)
      const message = (error as Error).message
      expect(message).toContain('127.0.0.1:1')
      expect(message).toContain(driver)
      expect(message).toContain('after 3 attempts')
      expect(message).not.toContain('s3cretpw')
      expect(JSON.stringify(error)).not.toContain('s3cretpw')
      expect((error as ConnectionError).details.host).toBe('127.0.0.1:1')
      expect(Date.now() - started).toBeGreaterThanOrEqual(100)
    })
  }

  it('does not become the default database', async () => {
    await connect({ url: 'postgres://127.0.0.1:1/x', connectRetries: 0 }).catch(() => undefined)
    expect(() => defaultDatabase()).toThrow(/call `await connect\(\)`/)
  })
})

describe('the default database', () => {
  it('is the first one connected, and is forgotten when it closes', async () => {
    const first = await connect('sqlite::memory:')
    const second = await connect('libsql::memory:')
    expect(defaultDatabase()).toBe(first)
    await first.close()
    expect(() => defaultDatabase()).toThrow()
    await second.close()
    expect(first).toBeInstanceOf(Database)
  })

  it('close() twice is harmless', async () => {
    const db = await connect('sqlite::memory:')
    await db.close()
    await expect(db.close()).resolves.toBeUndefined()
  })
})

describe('secrets', () => {
  it('inspecting a database or connection shows no password', async () => {
    const { inspect } = await import('node:util')
    const db = await connect({
      default: 'main',
      connections: { main: 'sqlite::memory:', other: { driver: 'sqlite', filename: ':memory:' } },
    })
    const text = inspect(db, { depth: 6 }) + inspect(db.connection(), { depth: 6 }) + JSON.stringify(db.connection())
    expect(text).toContain('main')
    await db.close()
    // A networked config: build the connection objects without connecting.
    const { Database: DatabaseClass } = await import('../../src/connection/database.js')
    const { resolveConfig } = await import('../../src/connection/config.js')
    const pg = new DatabaseClass(resolveConfig('postgres://app:s3cretpw@127.0.0.1:5432/app'))
    const shown = inspect(pg, { depth: 8 }) + inspect(pg.connection(), { depth: 8 }) + JSON.stringify(pg.connection())
    expect(shown).toContain('127.0.0.1:5432')
    expect(shown).not.toContain('s3cretpw')
    await pg.close()
  })
})
