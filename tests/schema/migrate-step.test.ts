import { expect, it } from 'vitest'
import { Migration, type MigrationClass, Migrator } from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

function createTable(table: string): MigrationClass {
  return class extends Migration {
    async up() {
      await this.schema.createTable(table, (t) => t.id())
    }
    async down() {
      await this.schema.dropTable(table)
    }
  }
}

forEachDialect('Migrator.latest({ step })', (ctx) => {
  it('gives each pending migration a batch of its own, after the last one, so rollback undoes one at a time', async () => {
    const first = new Migrator(ctx.db, { bundled: { '2026_01_01_000000_a': createTable('step_a') } })
    expect((await first.latest({ step: true })).batch).toBe(1)
    const migrator = new Migrator(ctx.db, {
      bundled: {
        '2026_01_01_000000_a': createTable('step_a'),
        '2026_01_02_000000_b': createTable('step_b'),
        '2026_01_03_000000_c': createTable('step_c'),
      },
    })
    const dry = await migrator.latest({ step: true, dryRun: true })
    expect(dry.migrations.map((m) => [m.name, m.batch])).toEqual([['2026_01_02_000000_b', 2], ['2026_01_03_000000_c', 3]])
    expect((await migrator.status()).map((s) => s.batch)).toEqual([1, null, null])

    const run = await migrator.latest({ step: true })
    expect(run.batch).toBe(2)
    expect(run.migrations.map((m) => m.batch)).toEqual([2, 3])
    expect((await migrator.status()).map((s) => s.batch)).toEqual([1, 2, 3])

    const back = await migrator.rollback()
    expect(back.migrations.map((m) => m.name)).toEqual(['2026_01_03_000000_c'])
    expect((await ctx.db.schema.getTables()).map((t) => t.name)).toEqual(expect.arrayContaining(['step_a', 'step_b']))
    expect((await ctx.db.schema.getTables()).map((t) => t.name)).not.toContain('step_c')
    // Without step, the pending ones share one batch again.
    expect((await migrator.latest()).migrations.map((m) => m.batch)).toEqual([3])
  })
})
