import { beforeAll, beforeEach, expect, it } from 'vitest'
import { column, Model, type QueryEvent, table, UniqueViolationError, UnknownColumnError } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

@table('readings')
class Reading extends Model {
  @column.primary() declare id: number
  @column() declare sensor: string
  @column() declare value: number
  @column.dateTime() declare takenAt: Date
  @column.boolean() declare valid: boolean
}

forEachDialect('bulk insert', (ctx) => {
  beforeAll(async () => {
    await ctx.db.knex.schema.createTable('readings', (t) => {
      t.increments('id')
      t.string('sensor').notNullable().unique()
      t.integer('value').notNullable()
      t.datetime('taken_at', { precision: 3 }).notNullable()
      t.boolean('valid').notNullable().defaultTo(true)
    })
  })
  beforeEach(async () => {
    await ctx.db.knex('readings').delete()
  })

  const rows = (count: number, from = 0) =>
    Array.from({ length: count }, (_, i) => ({ sensor: `s-${from + i}`, value: from + i, takenAt: new Date(1_700_000_000_000 + i) }))

  it('inserts 100,000 rows in one call, chunked to the parameter limit', async () => {
    const sent: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => sent.push(e))
    let inserted: number
    try {
      inserted = await Reading.insert(rows(100_000))
    } finally {
      off()
    }
    expect(inserted).toBe(100_000)
    const inserts = sent.filter((e) => /^insert/i.test(e.sql))
    const maxBindings = ctx.db.connection().dialect.maxBindings
    expect(inserts.length).toBe(Math.ceil(100_000 / Math.floor(maxBindings / 3)))
    for (const statement of inserts) expect(statement.bindings.length).toBeLessThanOrEqual(maxBindings)
    expect(await Reading.query().count()).toBe(100_000)
    const last = await Reading.query().where('sensor', 's-99999').firstOrFail()
    expect(last.value).toBe(99_999)
    expect(last.takenAt).toEqual(new Date(1_700_000_000_000 + 99_999))
    expect(last.valid).toBe(true)
  }, 180_000)

  it('rows with different columns go in separate statements; a missing column gets its default', async () => {
    await Reading.insert([...rows(2), { sensor: 'flagged', value: 1, takenAt: new Date(0), valid: false }])
    const all = await Reading.query().orderBy('value').orderBy('sensor')
    expect(all.map((r) => [r.sensor, r.valid])).toEqual([
      ['s-0', true],
      ['flagged', false],
      ['s-1', true],
    ])
  })

  it('a knex.raw() value is compiled into the statement; plain values are bound as they are', async () => {
    const sent: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => sent.push(e))
    try {
      await Reading.insert([
        { sensor: 'raw', value: ctx.db.knex.raw('1 + 2') as never, takenAt: new Date(5_000) },
        { sensor: 'plain', value: 4, takenAt: new Date(6_000) },
      ])
      await Reading.insert([{ sensor: 'plain-2', value: 7, takenAt: new Date(7_000) }])
    } finally {
      off()
    }
    const all = await Reading.query().orderBy('value')
    expect(all.map((r) => [r.sensor, r.value, r.takenAt.getTime()])).toEqual([
      ['raw', 3, 5_000],
      ['plain', 4, 6_000],
      ['plain-2', 7, 7_000],
    ])
    const inserts = sent.filter((e) => /^insert/i.test(e.sql))
    expect(inserts.map((e) => e.bindings.length)).toEqual([5, 3])
    expect(inserts[0]!.sql).toMatch(/1 \+ 2/)
  })

  it('all rows or none: a failure in a later statement undoes the earlier ones', async () => {
    const many = rows(40_000)
    many.push({ sensor: 's-3', value: -1, takenAt: new Date(0) })
    await expect(Reading.insert(many)).rejects.toBeInstanceOf(UniqueViolationError)
    expect(await Reading.query().count()).toBe(0)
  }, 120_000)

  it('inside a transaction, bulk insert joins it', async () => {
    await ctx.db.transaction(async () => {
      await Reading.insert(rows(30_000))
      expect(await Reading.query().count()).toBe(30_000)
      throw new Error('rollback')
    }).catch((e: Error) => expect(e.message).toBe('rollback'))
    expect(await Reading.query().count()).toBe(0)
  }, 120_000)

  it('bad input: nothing sent for an empty list; unknown columns and non-objects are refused', async () => {
    const sent: QueryEvent[] = []
    const off = ctx.db.on('query', (e) => sent.push(e))
    try {
      expect(await Reading.insert([])).toBe(0)
      await expect(Reading.insert([{ sensor: 'x', value: 1, takenAt: new Date(), bogus: 1 } as never])).rejects.toBeInstanceOf(UnknownColumnError)
      await expect(Reading.insert([null as never])).rejects.toThrow(/expected an object/)
      await expect(Reading.insert('rows' as never)).rejects.toThrow(/expects an array/)
      await expect(Reading.insert([{}])).rejects.toThrow(/without any column/)
    } finally {
      off()
    }
    expect(sent).toEqual([])
  })
})
