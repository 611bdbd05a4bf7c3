import { expect, expectTypeOf, it } from 'vitest'
import { Migration, type MigrationClass, Migrator, QuarryError, type TableBuilder } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

async function tables(db: import('../../src/index.js').Database): Promise<string[]> {
  const connection = db.connection()
  const rows = connection.dialect.rawRows(await connection.knex.raw(connection.dialect.listTablesSql))
  return rows.map((r) => String(r.name)).sort()
}

function migration(up: (schema: Migration['schema']) => Promise<void>, down?: (schema: Migration['schema']) => Promise<void>): MigrationClass {
  return class extends Migration {
    async up() {
      await up(this.schema)
    }
    async down() {
      await down?.(this.schema)
    }
  }
}

forEachDialect('migrations: dry run over pending creates, check constraints, transaction()', (ctx) => {
  it('migrate --dry-run when a pending migration changes a column of a table an earlier pending one creates', async () => {
    const bundled = {
      '2026_06_01_000000_create_gadgets': migration(
        (schema) => schema.createTable('gadgets', (t) => {
          t.id()
          t.string('name', 50).nullable()
          t.integer('stock').nullable()
        }),
        (schema) => schema.dropTable('gadgets'),
      ),
      '2026_06_01_000001_widen_gadget_name': migration(
        (schema) => schema.alterTable('gadgets', (t) => {
          t.string('name', 200).notNullable().change()
          t.dropColumn('stock')
        }),
      ),
    }
    const before = await tables(ctx.db)
    const run = await new Migrator(ctx.db, { bundled, dryRun: true }).latest()
    expect(run.dryRun).toBe(true)
    expect(run.migrations.map((m) => m.name)).toEqual(Object.keys(bundled))
    const [create, change] = run.migrations.map((m) => m.statements.map((s) => s.sql))
    expect(create![0]).toMatch(/create table .gadgets./i)
    // The second migration's statements are reported (on SQLite, the table rebuild it implies).
    expect(change!.length).toBeGreaterThan(0)
    expect(change!.join('\n')).toMatch(/gadgets/)
    expect(await tables(ctx.db)).toEqual(before)

    // The real run does what the dry run said.
    await new Migrator(ctx.db, { bundled }).latest()
    await ctx.db.table('gadgets').insert({ name: 'x'.repeat(150) })
    expect(await ctx.db.table('gadgets').count({ n: '*' })).toEqual([{ n: expect.anything() }])
    await expect(ctx.db.table('gadgets').insert({ name: null })).rejects.toThrow()
    await ctx.db.knex.schema.dropTable('gadgets')
    await ctx.db.knex.schema.dropTable('quarry_migrations')
  })

  it('t.check() takes the documented { name: column } form and the array form, and both are enforced', async () => {
    const bundled = {
      '2026_06_02_000000_create_prices': migration((schema) => schema.createTable('prices', (t) => {
        t.id()
        t.integer('price').notNullable()
        t.integer('discount').notNullable()
        t.check('?? >= 0', { price: 'price' })
        t.check('?? <= ??', ['discount', 'price'], 'discount_at_most_price')
      })),
    }
    await new Migrator(ctx.db, { bundled }).latest()
    await ctx.db.table('prices').insert({ price: 10, discount: 5 })
    await expect(ctx.db.table('prices').insert({ price: -1, discount: -2 })).rejects.toThrow()
    await expect(ctx.db.table('prices').insert({ price: 10, discount: 11 })).rejects.toThrow()
    expect(await ctx.db.table('prices').count({ n: '*' })).toEqual([{ n: expect.anything() }])
    expect((await ctx.db.table('prices').select('price')).map((r) => Number(r.price))).toEqual([10])

    // Named bindings work as knex has them, and the types accept each form.
    expectTypeOf<TableBuilder['check']>().toBeCallableWith('?? >= 0', { price: 'price' })
    expectTypeOf<TableBuilder['check']>().toBeCallableWith('?? <= ??', ['discount', 'price'])
    expectTypeOf<TableBuilder['check']>().toBeCallableWith(':col: > 0', { col: 'price' }, 'positive')
    expectTypeOf<TableBuilder['check']>().toBeCallableWith('price > 0')
  })

  it('t.check() with bindings that do not fit its placeholders is a QuarryError before any SQL', async () => {
    const bad = (build: (t: TableBuilder) => void) => new Migrator(ctx.db, {
      bundled: { '2026_06_03_000000_bad_check': migration((schema) => schema.createTable('bad_checks', build)) },
    }).latest()
    await expect(bad((t) => void t.check('?? >= 0 and ?? < 10', { price: 'price' }))).rejects.toThrow(/2 placeholders.*1 binding/)
    await expect(bad((t) => void t.check('?? >= 0', ['a', 'b']))).rejects.toThrow(/1 placeholder.*2 bindings/)
    await expect(bad((t) => void t.check('?? >= 0', 'price' as never))).rejects.toThrow(/array or an object/)
    expect(await tables(ctx.db)).not.toContain('bad_checks')
  })

  it('db.transaction() without a callback is a QuarryError, not a TypeError', async () => {
    const call = ctx.db.transaction as unknown as (...args: unknown[]) => Promise<unknown>
    await expect(call.call(ctx.db)).rejects.toThrow(QuarryError)
    await expect(call.call(ctx.db)).rejects.toThrow(/transaction\(\) needs a callback/)
    await expect(call.call(ctx.db, { isolationLevel: 'serializable' })).rejects.toThrow(QuarryError)
    const connection = ctx.db.connection()
    await expect((connection.transaction as unknown as (...args: unknown[]) => Promise<unknown>).call(connection, 'nope')).rejects.toThrow(/got string/)
    // Nested, inside a transaction, the same.
    await ctx.db.transaction(async () => {
      await expect(call.call(ctx.db)).rejects.toThrow(QuarryError)
    })
    expect(await ctx.db.transaction(() => 42)).toBe(42)
  })
})
