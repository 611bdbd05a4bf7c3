// One config for the app and the CLI (issue 13, item 9), and @libsql/client's own URL forms on
// libsql nodes (item 10).
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError, connect, ConnectionError, type ConfigFile, defineConfig } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

const BIN = resolve(import.meta.dirname, '../../bin/quarry.js')
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-config-file-'))
  dirs.push(dir)
  return dir
}

async function configError(config: unknown): Promise<ConfigError> {
  const error = await connect(config as ConfigFile).then(
    (db) => db.close().then(() => undefined),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

forEachDialect('connect() takes the whole default export of quarry.config', (ctx) => {
  it('the short form with every tooling key connects to the configured database', async () => {
    const config = defineConfig({
      connection: ctx.target.url,
      migrations: { directory: 'database/migrations' },
      seeders: { directory: 'database/seeders' },
      models: { directory: 'src/models' },
    })
    const withFactories = { ...config, factories: { directory: 'database/factories' } }
    const db = await connect(withFactories)
    try {
      await db.raw('create table config_probe (id integer primary key)')
      expect(await ctx.db.raw('select count(*) as n from config_probe')).toHaveLength(1)
      expect(db.connectionNames).toEqual(['default'])
    } finally {
      await db.raw('drop table config_probe')
      await db.close()
    }
  })

  it('the single-connection and the named-connections forms keep their options beside the tooling keys', async () => {
    const single = await connect(defineConfig({ url: ctx.target.url, pool: { max: 3 }, migrations: { directory: 'm' } }))
    expect(single.connection().config.pool.max).toBe(ctx.dialect === 'sqlite' || ctx.dialect === 'libsql' ? 1 : 3)
    await single.close()
    const named = await connect(defineConfig({ default: 'main', connections: { main: ctx.target.url }, seeders: { directory: 's' } }))
    expect(named.connectionNames).toEqual(['main'])
    expect(await named.raw('select 1 as one')).toEqual([{ one: 1 }])
    await named.close()
  })

  it('the app connects where the CLI migrated, from the same config file', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'db/migrations'), { recursive: true })
    writeFileSync(
      join(dir, 'quarry.config.mjs'),
      `export default { connection: process.env.APP_DB, migrations: { directory: 'db/migrations' }, seeders: { directory: 'db/seeders' } }\n`,
    )
    writeFileSync(
      join(dir, 'db/migrations/2026_01_01_000000_create_config_games.mjs'),
      `import { Migration } from 'quarry'\nexport default class extends Migration { async up() { await this.schema.createTable('config_games', (t) => { t.id() }) }\n` +
        `  async down() { await this.schema.dropTable('config_games') } }\n`,
    )
    const env: NodeJS.ProcessEnv = { ...process.env, APP_DB: ctx.target.url, NO_COLOR: '1' }
    delete env.DATABASE_URL
    const cli = spawnSync(process.execPath, [BIN, 'migrate'], { cwd: dir, env, encoding: 'utf8' })
    expect(cli.status, cli.stderr).toBe(0)
    const previous = process.env.APP_DB
    process.env.APP_DB = ctx.target.url
    try {
      const config = (await import(pathToFileURL(join(dir, 'quarry.config.mjs')).href)) as { default: ConfigFile }
      const app = await connect(config.default)
      try {
        expect(await app.table('config_games').count({ n: '*' })).toEqual([{ n: expect.anything() }])
        expect((await app.table('quarry_migrations').pluck('name')).map(String)).toEqual(['2026_01_01_000000_create_config_games'])
      } finally {
        await app.raw('drop table config_games')
        await app.raw('drop table quarry_migrations')
        await app.close()
      }
    } finally {
      process.env.APP_DB = previous
    }
  }, 180_000)
})

describe('connect() with a config file export: bad inputs are ConfigErrors naming the key', () => {
  it('a connection that is not a string', async () => {
    expect((await configError({ connection: 42, migrations: {} })).field).toBe('connection')
  })

  it('a connection URL beside connection options', async () => {
    const error = await configError({ connection: 'sqlite::memory:', driver: 'sqlite' })
    expect(error.field).toBe('connection')
    expect(error.message).toMatch(/not both/)
  })

  it('a misspelt key is still refused, with the allowed ones listed', async () => {
    const error = await configError({ url: 'sqlite::memory:', migratons: { directory: 'x' } })
    expect(error.field).toBe('migratons')
    expect(error.message).toMatch(/unknown option/)
  })
})

describe('libsql nodes take @libsql/client\'s own URLs', () => {
  it('file: with an absolute path, as the write node, and read back through a replica of the same file', async () => {
    const file = join(tempDir(), 'app.db')
    const db = await connect({ driver: 'libsql', write: { url: `file:${file}` }, read: [{ url: `file:${file}` }] })
    try {
      await db.raw('create table notes (id integer primary key, body text)')
      await db.table('notes').insert({ id: 1, body: 'kept' })
      expect(db.connection().config.write.label).toBe(`file:${file}`)
      expect(await db.table('notes').pluck('body')).toEqual(['kept'])
    } finally {
      await db.close()
    }
    const again = await connect(`libsql:file:${file}`)
    expect(await again.table('notes').pluck('body')).toEqual(['kept'])
    await again.close()
  })

  it(':memory: with the driver named', async () => {
    const db = await connect({ driver: 'libsql', url: ':memory:' })
    expect(await db.raw('select 2 as two')).toEqual([{ two: 2 }])
    await db.close()
  })

  it('libsql://, http(s):// and ws(s):// are accepted; an unreachable server is a ConnectionError, not a ConfigError', async () => {
    for (const url of ['libsql://127.0.0.1:9', 'http://127.0.0.1:9', 'https://127.0.0.1:9', 'ws://127.0.0.1:9', 'wss://127.0.0.1:9']) {
      const error = await connect({ driver: 'libsql', url, connectRetries: 0 }).then(
        (db) => db.close().then(() => undefined),
        (e: unknown) => e,
      )
      expect(error, url).toBeInstanceOf(ConnectionError)
      expect((error as ConnectionError).message, url).toContain('127.0.0.1:9')
    }
  })

  it('bad libSQL URLs are ConfigErrors listing the forms', async () => {
    for (const url of ['file:', 'https://', 'ftp://host/db']) {
      const error = await configError({ driver: 'libsql', url })
      expect(error.field, url).toBe('url')
      expect(error.message, url).toMatch(/file:/)
    }
  })

  it('a client URL without driver: \'libsql\' cannot be told from SQLite: a ConfigError that says to name it', async () => {
    const error = await configError({ url: 'file:/tmp/x.db' })
    expect(error.field).toBe('url')
    expect(error.message).toMatch(/driver: 'libsql'/)
  })
})
