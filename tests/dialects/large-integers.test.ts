import { beforeAll, expect, it } from 'vitest'
import { forEachDialect } from '../support/databases.js'

/**
 * 64-bit integers read back exactly on every dialect: numbers up to 2^53 - 1, strings beyond,
 * never a rounded double. On SQLite a read-only statement reads numbers first and reads again as
 * bigints only when a value is past 2^53, so the cases here cover where that value sits.
 */
forEachDialect('integers beyond 2^53', (ctx) => {
  const BIG = ['9007199254740992', '9007199254740993', '9223372036854775807', '-9223372036854775808', '-9007199254740993']

  beforeAll(async () => {
    await ctx.db.knex.schema.createTable('big_ints', (t) => {
      t.increments('id')
      t.bigInteger('n').notNullable()
      t.double('r').nullable()
    })
    // 1,000 ordinary rows, then the large values: only the last rows need the exact read.
    const rows = Array.from({ length: 1000 }, (_, i) => ({ n: i, r: i / 2 }))
    for (let i = 0; i < rows.length; i += 100) await ctx.db.table('big_ints').insert(rows.slice(i, i + 100))
    for (const n of BIG) await ctx.db.table('big_ints').insert({ n, r: null })
  })

  it('reads each large value exactly, among ordinary rows, and keeps the others numbers', async () => {
    const rows = await ctx.db.table('big_ints').orderBy('id').select('n', 'r')
    expect(rows.slice(1000).map((r) => r.n)).toEqual(BIG)
    expect(rows.slice(0, 1000).every((r, i) => r.n === i && r.r === i / 2)).toBe(true)
    expect(await ctx.db.table('big_ints').where('n', Number.MAX_SAFE_INTEGER - 1).first()).toBeUndefined()
  })

  it('the edges: 2^53 - 1 is a number, 2^53 a string', async () => {
    const [edge] = await ctx.db.raw<{ a: unknown; b: unknown }>(
      ctx.dialect === 'mysql' || ctx.dialect === 'postgres'
        ? 'select cast(9007199254740991 as signed) as a, cast(9007199254740992 as signed) as b'.replace(/signed/g, ctx.dialect === 'postgres' ? 'bigint' : 'signed')
        : 'select 9007199254740991 as a, 9007199254740992 as b',
    )
    expect(edge).toEqual({ a: 9007199254740991, b: '9007199254740992' })
  })

  it('a large double stays a double, and an aggregate past 2^53 is exact', async () => {
    await ctx.db.table('big_ints').insert({ n: 1, r: 1e300 })
    const [row] = await ctx.db.table('big_ints').where('r', '>', 1e299).select('r', 'n')
    expect(row).toEqual({ r: 1e300, n: 1 })
    const [sum] = await ctx.db.table('big_ints').whereIn('n', ['9007199254740993', 999]).sum({ total: 'n' })
    expect(String(sum!.total)).toBe('9007199254741992')
  })

  it('a write that returns rows reads them exactly as well', async () => {
    if (ctx.dialect === 'mysql') return // no RETURNING on MariaDB's knex client
    const [row] = await ctx.db.table('big_ints').insert({ n: '9007199254740995' }).returning(['n'])
    expect(row!.n).toBe('9007199254740995')
  })
})
