import { describe, expect, it } from 'vitest'
import { ConfigError, connect, type ConnectionConfig, type ConnectOptions } from '../../src/index.js'

/** connect() with a bad config must throw ConfigError before opening anything. */
async function configError(config: string | ConnectOptions | ConnectionConfig): Promise<ConfigError> {
  const error = await connect(config as ConnectOptions).then(
    (db) => db.close().then(() => undefined),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

describe('connect() rejects bad configurations with a ConfigError naming the field', () => {
  it('an unknown driver, listing the allowed ones', async () => {
    const error = await configError({ connections: { main: { driver: 'oracle' as never, url: 'x' } } })
    expect(error.field).toBe('connections.main.driver')
    expect(error.message).toContain('postgres, cockroachdb, mysql, sqlite, libsql')
    expect(error.code).toBe('E_CONFIG')
  })

  it('a malformed URL, without echoing it', async () => {
    const error = await configError({
      default: 'main',
      connections: { main: { driver: 'postgres', write: { url: 'postgres://u:hunter2@[bad' } } },
    })
    expect(error.field).toBe('connections.main.write.url')
    expect(error.message).toMatch(/not a valid URL/)
    expect(error.message).not.toContain('hunter2')
  })

  it('a URL scheme nobody knows', async () => {
    const error = await configError('oracle://scott:tiger@host/db')
    expect(error.field).toBe('url')
    expect(error.message).not.toContain('tiger')
  })

  it('a URL of one driver given to another', async () => {
    const error = await configError({ driver: 'mysql', url: 'postgres://127.0.0.1/db' })
    expect(error.field).toBe('url')
    expect(error.message).toContain('postgres URL but the driver is mysql')
  })

  it('pool min greater than max', async () => {
    const error = await configError({ driver: 'postgres', url: 'postgres://127.0.0.1/x', pool: { min: 5, max: 2 } })
    expect(error.field).toBe('pool')
    expect(error.message).toContain('min (5) must not exceed max (2)')
  })

  it('a pool size that is not a whole number', async () => {
    const error = await configError({ driver: 'mysql', url: 'mysql://127.0.0.1/x', pool: { max: 0 } })
    expect(error.field).toBe('pool.max')
  })

  it('preparedStatements that is not a boolean', async () => {
    const error = await configError({ driver: 'postgres', url: 'postgres://127.0.0.1/x', preparedStatements: 'no' as never })
    expect(error.field).toBe('preparedStatements')
  })

  it('a sqlite connection without a filename', async () => {
    const error = await configError({ connections: { analytics: { driver: 'sqlite' } } })
    expect(error.field).toBe('connections.analytics.filename')
    expect(error.message).toContain(':memory:')
  })

  it('an unknown option, listing the allowed ones', async () => {
    const error = await configError({ connections: { main: { driver: 'sqlite', filename: ':memory:', poool: {} } as never } })
    expect(error.field).toBe('connections.main.poool')
    expect(error.message).toContain('allowed here')
  })

  it('an unknown top-level key', async () => {
    const error = await configError({ connections: { a: 'sqlite::memory:' }, defualt: 'a' } as never)
    expect(error.field).toBe('defualt')
  })

  it('a default that names no connection', async () => {
    const error = await configError({ default: 'main', connections: { other: 'sqlite::memory:' } })
    expect(error.field).toBe('default')
    expect(error.message).toContain('other')
  })

  it('a replica list that is not an array', async () => {
    const error = await configError({ driver: 'sqlite', filename: ':memory:', read: { filename: 'x' } as never })
    expect(error.field).toBe('read')
  })

  it('a bad replica, naming its index', async () => {
    const error = await configError({
      connections: { main: { driver: 'postgres', write: { url: 'postgres://127.0.0.1/a' }, read: [{ url: 'postgres://127.0.0.1/b' }, { url: 'nope' }] } },
    })
    expect(error.field).toBe('connections.main.read[1].url')
  })

  it('a libsql URL of the wrong shape', async () => {
    const error = await configError('libsql:ftp://x')
    expect(error.field).toBe('url')
    expect(error.message).toContain('libsql:file:')
  })

  it('no connections at all', async () => {
    const error = await configError({ connections: {} })
    expect(error.field).toBe('connections')
  })

  it('a primary given twice', async () => {
    const error = await configError({ driver: 'sqlite', filename: 'a.db', write: { filename: 'b.db' } })
    expect(error.field).toBe('write')
  })
})

describe('connect() accepts every documented URL form', () => {
  it('names a string connection "default" and resolves sqlite and libsql paths', async () => {
    const cases: Array<[string, string, string]> = [
      ['sqlite::memory:', 'sqlite', ':memory:'],
      ['libsql::memory:', 'libsql', ':memory:'],
    ]
    for (const [url, driver, label] of cases) {
      const db = await connect(url)
      try {
        expect(db.connectionNames).toEqual(['default'])
        expect(db.connection().config.driver).toBe(driver)
        expect(db.connection().config.write.label).toBe(label)
      } finally {
        await db.close()
      }
    }
  })

  it('reads sqlite:///abs/path as an absolute path and sqlite:./rel as relative', async () => {
    const { mkdtempSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'quarry-url-'))
    const absolute = await connect(`sqlite://${dir}/abs.db`)
    expect(absolute.connection().config.write.filename).toBe(`${dir}/abs.db`)
    await absolute.close()
    const relative = await connect({ url: 'sqlite:./x.db', read: [] })
    expect(relative.connection().config.write.filename).toBe('./x.db')
    await relative.close()
    const { rmSync } = await import('node:fs')
    rmSync('./x.db', { force: true })
    rmSync('./x.db-wal', { force: true })
    rmSync('./x.db-shm', { force: true })
  })

  it('maps cockroachdb:// and mariadb:// onto their wire protocols without connecting', async () => {
    const { resolveConfig } = await import('../../src/connection/config.js')
    const cockroach = resolveConfig('cockroachdb://root@127.0.0.1:26257/defaultdb').connections[0]!
    expect(cockroach.driver).toBe('cockroachdb')
    expect(cockroach.write.url).toBe('postgres://root@127.0.0.1:26257/defaultdb')
    expect(cockroach.write.label).toBe('127.0.0.1:26257')
    const maria = resolveConfig('mariadb://root@db.local/app').connections[0]!
    expect(maria.driver).toBe('mysql')
    expect(maria.write.label).toBe('db.local:3306')
  })
})
