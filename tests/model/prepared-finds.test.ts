import { beforeAll, expect, it } from 'vitest'
import { column, connect, type Database, Model, type QueryEvent, table } from '../../src/index.js'
import { capabilities, forEachDialect } from '../support/databases.js'

@table('prep_widgets')
class Widget extends Model {
  @column.primary() declare id: number
  @column() declare name: string
}

/**
 * `find(id)` is compiled once per model and dialect and only bound afterwards (named prepared
 * statements on PostgreSQL): the same SQL as before, on the current transaction, through query
 * events, and never a stale plan after a schema change.
 */
forEachDialect(
  'find by key, compiled once',
  (ctx) => {
    const events: QueryEvent[] = []

    beforeAll(async () => {
      await ctx.db.knex.schema.createTable('prep_widgets', (t) => {
        t.increments('id')
        t.string('name').notNullable()
        t.string('extra').nullable()
      })
      Widget.useConnection(ctx.db.connection())
      await Widget.createMany([{ name: 'a' }, { name: 'b' }, { name: 'c' }])
      ctx.db.on('query', (event) => events.push(event))
    })

    it('sends one SQL text for every key, with a literal limit, and reports each in query events', async () => {
      events.length = 0
      const found = await Promise.all([1, 2, 3, 99].map((id) => Widget.find(id)))
      expect(found.map((w) => w?.name ?? null)).toEqual(['a', 'b', 'c', null])
      expect(new Set(events.map((e) => e.sql)).size).toBe(1)
      expect(events[0]!.sql).toMatch(/limit 1$/)
      expect(events.map((e) => e.bindings)).toEqual([[1], [2], [3], [99]])
    })

    it('joins the open transaction: it sees the transaction\'s own writes, and they roll back', async () => {
      await expect(
        ctx.db.transaction(async () => {
          const created = await Widget.create({ name: 'in transaction' })
          expect((await Widget.find(created.id))?.name).toBe('in transaction')
          throw new Error('roll back')
        }),
      ).rejects.toThrow('roll back')
      expect(await Widget.query().count()).toBe(3)
    })

    it('finds again after the table\'s columns changed between two identical finds, inside a transaction or not', async () => {
      expect((await Widget.find(1))?.name).toBe('a')
      // From another connection, as a migration would: select * now returns a column fewer.
      const other = await connect(ctx.target.config())
      try {
        await other.knex.schema.alterTable('prep_widgets', (t) => t.dropColumn('extra'))
      } finally {
        await other.close()
      }
      for (let i = 0; i < 3; i++) expect((await Widget.find(1))?.name).toBe('a')
      await ctx.db.knex.schema.alterTable('prep_widgets', (t) => t.string('added').nullable())
      await ctx.db.transaction(async () => {
        expect((await Widget.find(2))?.name).toBe('b')
        await Widget.query().whereKey(2).update({ name: 'b2' })
      })
      expect((await Widget.find(2))?.name).toBe('b2')
    })

    it('a bad key is refused before any SQL', async () => {
      events.length = 0
      await expect(Widget.find({ nope: 1 } as never)).rejects.toThrow()
      expect(events).toEqual([])
    })
  },
  // One connection, so that the test sees the statements it prepared.
  { connect: { pool: { min: 1, max: 1 } } },
)

forEachDialect(
  'find by key as a named prepared statement',
  (ctx) => {
    let db: Database
    beforeAll(async () => {
      db = ctx.db
      await db.knex.schema.createTable('prep_gadgets', (t) => {
        t.increments('id')
        t.string('name').notNullable()
      })
    })

    it('is prepared once on the connection and reused', async () => {
      @table('prep_gadgets')
      class Gadget extends Model {
        @column.primary() declare id: number
        @column() declare name: string
      }
      Gadget.useConnection(db.connection())
      await Gadget.create({ name: 'one' })
      const prepared = () => db.raw<{ name: string; calls: number }>("select name from pg_prepared_statements where statement like '%prep_gadgets%'")
      expect(await prepared()).toEqual([])
      for (let i = 0; i < 5; i++) await Gadget.find(1)
      expect((await prepared()).map((r) => r.name)).toEqual([expect.stringMatching(/^quarry_[0-9a-f]{20}$/)])
      // Inside a transaction the statement is not named (a stale plan there would abort it).
      await db.transaction(async () => Gadget.find(1))
      expect(await prepared()).toHaveLength(1)
    })

    it('is not named on a connection with preparedStatements: false', async () => {
      const unnamed = await connect(ctx.target.config({ pool: { min: 1, max: 1 }, preparedStatements: false }))
      try {
        @table('prep_gadgets')
        class PlainGadget extends Model {
          @column.primary() declare id: number
          @column() declare name: string
        }
        PlainGadget.useConnection(unnamed.connection())
        for (let i = 0; i < 3; i++) expect((await PlainGadget.find(1))?.name).toBe('one')
        expect(await unnamed.raw('select name from pg_prepared_statements')).toEqual([])
      } finally {
        await unnamed.close()
      }
    })
  },
  { connect: { pool: { min: 1, max: 1 } }, when: (supports) => supports.namedStatements, because: 'no named prepared statements on this dialect' },
)

it('only PostgreSQL prepares named statements', () => {
  expect(capabilities('postgres').namedStatements).toBe(true)
  for (const dialect of ['sqlite', 'libsql', 'mysql'] as const) expect(capabilities(dialect).namedStatements).toBe(false)
})
