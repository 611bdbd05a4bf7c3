import { afterAll, beforeAll, expect, it } from 'vitest'
import { connect, type Database } from '../../src/index.js'
import { ARRAYS_FROM } from '../../src/dialects/sqlite/sqlite-rows.js'
import { forEachDialect } from '../support/databases.js'

/**
 * Rows of large results: on SQLite a read-only statement whose last result had many rows reads
 * arrays and makes the row objects itself; libSQL's rows are made the same way. The objects must
 * be what better-sqlite3 makes, every time, whatever the schema has become since.
 */
forEachDialect('rows of large results', (ctx) => {
  const COUNT = ARRAYS_FROM * 2
  let other: Database
  beforeAll(async () => {
    await ctx.db.raw('create table wide (id integer primary key, name text, n integer, blob_value blob)')
    await ctx.db.raw(
      `with recursive s(i) as (select 1 union all select i + 1 from s where i < ${COUNT})
       insert into wide (id, name, n, blob_value) select i, 'name ' || i, i * 10, x'0102' from s`,
    )
    other = await connect(ctx.target.config())
  })
  afterAll(async () => {
    await other?.close()
  })

  const read = () => ctx.db.raw<Record<string, unknown>>('select * from wide order by id')

  it('the same objects on every run, as many rows as there are', async () => {
    const first = await read()
    for (let run = 0; run < 3; run++) {
      const again = await read()
      expect(again).toEqual(first)
      expect(Object.keys(again[COUNT - 1]!)).toEqual(['id', 'name', 'n', 'blob_value'])
    }
    expect(first).toHaveLength(COUNT)
    expect(first[5]).toEqual({ id: 6, name: 'name 6', n: 60, blob_value: Buffer.from([1, 2]) })
    expect(await ctx.db.raw('select * from wide where id > ? order by id', [COUNT - 2])).toHaveLength(2)
    expect(await ctx.db.raw('select * from wide where id > ? order by id', [COUNT])).toEqual([])
  })

  it('duplicate names (the later wins) and `length`; `__proto__` as the driver has it, on every run', async () => {
    const sql = 'select id as x, name as x, n as length, id as "__proto__" from wide order by id'
    for (let run = 0; run < 3; run++) {
      const rows = await ctx.db.raw<Record<string, unknown>>(sql)
      expect(rows).toHaveLength(COUNT)
      const row = rows[1]!
      expect(row.x).toBe('name 2')
      expect(row.length).toBe(20)
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype)
      if (ctx.dialect === 'libsql') {
        // Quarry's libSQL client makes it an ordinary property.
        expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe(2)
        expect(Object.keys(row)).toEqual(['x', 'length', '__proto__'])
      } else {
        // better-sqlite3 assigns it, which sets no property for a number: large results alike.
        expect(Object.keys(row)).toEqual(['x', 'length'])
      }
    }
  })

  it('another connection changes the schema between runs: the rows follow it', async () => {
    // @libsql/client reports a cached statement's old column names after another connection's
    // schema change (a driver matter, not covered here).
    if (ctx.dialect !== 'sqlite') return
    await read()
    await read()
    await other.raw('alter table wide rename column name to title')
    const renamed = await read()
    expect(renamed[0]).toEqual({ id: 1, title: 'name 1', n: 10, blob_value: Buffer.from([1, 2]) })
    await other.raw('alter table wide drop column n')
    await other.raw('alter table wide add column m integer default 7')
    const changed = await read()
    expect(changed[0]).toEqual({ id: 1, title: 'name 1', blob_value: Buffer.from([1, 2]), m: 7 })
    await other.raw('alter table wide rename column title to name')
    await other.raw('alter table wide add column n integer')
    await other.raw('update wide set n = id * 10')
  })

  it('integers beyond 2^53 in a large result read exactly', async () => {
    await read()
    await ctx.db.raw("update wide set n = 9007199254740993 where id = 3")
    const rows = await read()
    expect(rows[2]!.n).toBe('9007199254740993')
    expect(rows[3]!.n).toBe(40)
    await ctx.db.raw('update wide set n = 30 where id = 3')
  })
}, { only: ['sqlite', 'libsql'] })
