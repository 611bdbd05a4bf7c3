import { expect, it } from 'vitest'
import { connect } from '../../src/index.js'
import { STATEMENT_CACHE_SIZE, statementCacheOf } from '../../src/dialects/sqlite/sqlite-knex-client.js'
import { forEachDialect } from '../support/databases.js'

interface PoolingClient {
  acquireConnection(): Promise<object>
  releaseConnection(connection: object): Promise<void>
}

/** The prepared-statement cache of the better-sqlite3 client. */
forEachDialect('the SQLite statement cache', (ctx) => {
  async function cacheSize(): Promise<number> {
    const client = ctx.db.knex.client as unknown as PoolingClient
    const connection = await client.acquireConnection()
    try {
      return statementCacheOf(connection)?.size ?? 0
    } finally {
      await client.releaseConnection(connection)
    }
  }

  it('reuses a statement for a repeated query and stays bounded', async () => {
    await ctx.db.raw('create table cached (id integer primary key, n integer)')
    const before = await cacheSize()
    for (let i = 0; i < 50; i++) await ctx.db.table('cached').where('id', i).first()
    expect(await cacheSize()).toBe(before + 1)
    for (let i = 0; i < STATEMENT_CACHE_SIZE + 100; i++) await ctx.db.raw(`select ${i} as n`)
    expect(await cacheSize()).toBe(STATEMENT_CACHE_SIZE)
  })

  it('never serves a statement across a schema change made on the same connection', async () => {
    await ctx.db.raw('create table shifting (id integer primary key, a text)')
    await ctx.db.table('shifting').insert({ a: 'x' })
    expect(await ctx.db.table('shifting').select('*')).toEqual([{ id: 1, a: 'x' }])
    expect(await cacheSize()).toBeGreaterThan(0)
    await ctx.db.raw("alter table shifting add column b text default 'new'")
    expect(await cacheSize()).toBe(0)
    expect(await ctx.db.table('shifting').select('*')).toEqual([{ id: 1, a: 'x', b: 'new' }])
  })

  it('transactions use the connection\'s cache too', async () => {
    await ctx.db.transaction(async () => {
      await ctx.db.table('cached').insert({ n: 1 })
      await ctx.db.table('cached').insert({ n: 2 })
    })
    expect(await ctx.db.table('cached').whereIn('n', [1, 2]).count({ c: '*' })).toEqual([{ c: 2 }])
  })

  it('never serves a stale statement when another connection changes the schema', async () => {
    await ctx.db.raw('create table elsewhere (id integer primary key, a text)')
    await ctx.db.table('elsewhere').insert({ a: 'x' })
    expect(await ctx.db.table('elsewhere').select('*')).toEqual([{ id: 1, a: 'x' }])
    const other = await connect(ctx.target.config())
    try {
      await other.raw('alter table elsewhere add column c integer default 7')
    } finally {
      await other.close()
    }
    // The same SQL, from the cache: SQLite re-prepares it against the new schema.
    expect(await ctx.db.table('elsewhere').select('*')).toEqual([{ id: 1, a: 'x', c: 7 }])
    const dropped = await connect(ctx.target.config())
    try {
      await dropped.raw('drop table elsewhere')
    } finally {
      await dropped.close()
    }
    await expect(ctx.db.table('elsewhere').select('*')).rejects.toThrow(/no such table/)
  })
}, { only: ['sqlite'], because: "better-sqlite3's own statement cache" })
