import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, expectTypeOf, it } from 'vitest'
import {
  connect,
  Migration,
  MigrationError,
  Migrator,
  type MigrationClass,
  type MigrationProgress,
  type MigrationRun,
  type MigrationStatus,
} from '../../src/index.js'
import { MigrationLock } from '../../src/schema/migration-lock.js'
import { forEachDialect } from '../support/databases.js'

const SRC = resolve(import.meta.dirname, '../../src/index.ts')

function createTable(table: string, extra?: (t: import('../../src/index.js').TableBuilder) => void): MigrationClass {
  return class extends Migration {
    async up() {
      await this.schema.createTable(table, (t) => {
        t.id()
        t.string('name').nullable()
        extra?.(t)
      })
    }
    async down() {
      await this.schema.dropTable(table)
    }
  }
}

async function tables(db: import('../../src/index.js').Database): Promise<string[]> {
  const connection = db.connection()
  const rows = connection.dialect.rawRows(await connection.knex.raw(connection.dialect.listTablesSql))
  return rows.map((r) => String(r.name)).sort()
}

async function migrationRows(db: import('../../src/index.js').Database) {
  return db.table('quarry_migrations').orderBy('id').select('name', 'batch')
}

forEachDialect('Migrator', (ctx) => {
  const bundled: Record<string, MigrationClass> = {
    '2026_01_01_000000_create_teams': createTable('teams'),
    '2026_01_01_000001_create_players': createTable('players', (t) => t.foreignId('team_id').constrained()),
  }

  it('applies pending migrations as one batch, in name order, and reports status after each step', async () => {
    const progress: MigrationProgress[] = []
    const migrator = new Migrator(ctx.db, { bundled, onProgress: (e) => progress.push(e) })
    expect(await migrator.status()).toEqual([
      { name: '2026_01_01_000000_create_teams', batch: null, ranAt: null },
      { name: '2026_01_01_000001_create_players', batch: null, ranAt: null },
    ])
    const before = Date.now()
    const run = await migrator.latest()
    expect(run.batch).toBe(1)
    expect(run.dryRun).toBe(false)
    expect(run.migrations.map((m) => [m.name, m.direction, m.batch])).toEqual([
      ['2026_01_01_000000_create_teams', 'up', 1],
      ['2026_01_01_000001_create_players', 'up', 1],
    ])
    expect(run.migrations[0]!.statements.some((s) => /create table/i.test(s.sql))).toBe(true)
    expect(progress.map((p) => p.type)).toEqual(['start', 'done', 'start', 'done'])
    expect(await tables(ctx.db)).toEqual(expect.arrayContaining(['players', 'quarry_migrations', 'teams']))
    const status = await migrator.status()
    expect(status.map((s) => s.batch)).toEqual([1, 1])
    for (const s of status) {
      expect(s.ranAt).toBeInstanceOf(Date)
      expect(s.ranAt!.getTime()).toBeGreaterThanOrEqual(before - 1000)
      expect(s.ranAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000)
    }

    expect((await migrator.latest()).migrations).toEqual([])

    const more = new Migrator(ctx.db, {
      bundled: { ...bundled, '2026_01_02_000000_create_coaches': createTable('coaches') },
    })
    expect((await more.latest()).batch).toBe(2)
    expect(await migrationRows(ctx.db)).toEqual([
      { name: '2026_01_01_000000_create_teams', batch: 1 },
      { name: '2026_01_01_000001_create_players', batch: 1 },
      { name: '2026_01_02_000000_create_coaches', batch: 2 },
    ])

    // Default rollback: the last batch only.
    const back = await more.rollback()
    expect(back.migrations.map((m) => [m.name, m.direction])).toEqual([['2026_01_02_000000_create_coaches', 'down']])
    expect(await tables(ctx.db)).not.toContain('coaches')
    expect((await more.status()).map((s) => s.batch)).toEqual([1, 1, null])

    // step: the last N migrations, newest first, across batches.
    await more.latest()
    const stepped = await more.rollback({ step: 2 })
    expect(stepped.migrations.map((m) => m.name)).toEqual(['2026_01_02_000000_create_coaches', '2026_01_01_000001_create_players'])
    expect((await more.status()).map((s) => s.batch)).toEqual([1, null, null])

    const reset = await more.reset()
    expect(reset.migrations.map((m) => m.name)).toEqual(['2026_01_01_000000_create_teams'])
    expect(await migrationRows(ctx.db)).toEqual([])
    expect(await tables(ctx.db)).not.toContain('teams')

    await more.latest()
    const refresh = await more.refresh()
    expect(refresh.migrations.map((m) => `${m.direction} ${m.name}`)).toEqual([
      'down 2026_01_02_000000_create_coaches',
      'down 2026_01_01_000001_create_players',
      'down 2026_01_01_000000_create_teams',
      'up 2026_01_01_000000_create_teams',
      'up 2026_01_01_000001_create_players',
      'up 2026_01_02_000000_create_coaches',
    ])
    expect(refresh.batch).toBe(1)

    // fresh: drops every table, even ones no migration made, without running down().
    await ctx.db.connection().knex.schema.createTable('stray', (t) => t.increments('id'))
    const fresh = await more.fresh()
    expect(fresh.dropped).toEqual(expect.arrayContaining(['coaches', 'players', 'quarry_migrations', 'stray', 'teams']))
    expect(fresh.migrations.every((m) => m.direction === 'up')).toBe(true)
    expect(await tables(ctx.db)).not.toContain('stray')
    expect((await more.status()).map((s) => s.batch)).toEqual([1, 1, 1])
    await more.reset()
  })

  it('rejects a bad step, a migration without down(), and a rollback whose migration is gone', async () => {
    const migrator = new Migrator(ctx.db, { bundled })
    await expect(migrator.rollback({ step: 0 })).rejects.toThrow(/whole number of at least 1, got 0/)
    await expect(migrator.rollback({ step: 1.5 })).rejects.toThrow(MigrationError)

    const oneWay = class extends Migration {
      async up() {
        await this.schema.createTable('one_way', (t) => t.id())
      }
    }
    const withOneWay = new Migrator(ctx.db, { bundled: { '2026_02_01_000000_one_way': oneWay } })
    await withOneWay.latest()
    const error = await withOneWay.rollback().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationError)
    expect((error as MigrationError).message).toMatch(/2026_02_01_000000_one_way has no down\(\)/)
    expect(await tables(ctx.db)).toContain('one_way')

    const forgetful = new Migrator(ctx.db, { bundled: {} })
    await expect(forgetful.rollback()).rejects.toThrow(/Cannot roll back 2026_02_01_000000_one_way: recorded as run, but no such migration/)
    expect(await forgetful.status()).toEqual([
      expect.objectContaining({ name: '2026_02_01_000000_one_way', batch: 1, missing: true }),
    ])
    await ctx.db.table('quarry_migrations').delete()
    await ctx.db.connection().knex.schema.dropTable('one_way')
    expect(() => new Migrator(ctx.db, {})).toThrow(/exactly one of \{ directory \} or \{ bundled \}/)
  })

  it('stops at a failing migration with the file, the statement and the database message; a transaction leaves nothing of it', async () => {
    const transactional = ctx.db.connection().dialect.supports.transactionalDdl
    const failing = class extends Migration {
      async up() {
        await this.schema.createTable('half_done', (t) => t.id())
        await this.db.table('half_done').insert({})
        await this.schema.raw('create table half_done (id integer)')
      }
      async down() {}
    }
    const migrator = new Migrator(ctx.db, {
      bundled: {
        '2026_03_01_000000_create_fine': createTable('fine'),
        '2026_03_01_000001_half_done': failing,
        '2026_03_01_000002_never_reached': createTable('never_reached'),
      },
    })
    const error = (await migrator.latest().catch((e: unknown) => e)) as MigrationError
    expect(error).toBeInstanceOf(MigrationError)
    expect(error.details.migration).toBe('2026_03_01_000001_half_done')
    expect(error.details.statement).toBe('create table half_done (id integer)')
    expect(error.message).toMatch(/^Migration 2026_03_01_000001_half_done failed: /)
    expect(error.message).toMatch(/already exists/i)
    expect(error.message).toContain('statement: create table half_done (id integer)')

    const rows = await migrationRows(ctx.db)
    expect(rows).toEqual([{ name: '2026_03_01_000000_create_fine', batch: 1 }])
    expect(await tables(ctx.db)).toContain('fine')
    expect(await tables(ctx.db)).not.toContain('never_reached')
    if (transactional) {
      expect(await tables(ctx.db)).not.toContain('half_done')
      expect(error.message).toContain('rolled back: nothing of this migration was applied')
      expect(error.details.executed).toBeUndefined()
    } else {
      expect(await tables(ctx.db)).toContain('half_done')
      expect(error.details.executed).toHaveLength(2)
      expect(error.details.executed![0]).toMatch(/^create table .half_done./i)
      expect(error.details.executed![1]).toMatch(/^insert into .half_done./i)
      expect(error.message).toMatch(/cannot roll back schema changes; these statements had already run/)
      await ctx.db.connection().knex.schema.dropTable('half_done')
    }
    // Fixed, the run goes on from the failed migration.
    const fixed = new Migrator(ctx.db, {
      bundled: {
        '2026_03_01_000000_create_fine': createTable('fine'),
        '2026_03_01_000001_half_done': createTable('half_done'),
        '2026_03_01_000002_never_reached': createTable('never_reached'),
      },
    })
    const run = await fixed.latest()
    expect(run.migrations.map((m) => m.name)).toEqual(['2026_03_01_000001_half_done', '2026_03_01_000002_never_reached'])
    expect(run.batch).toBe(2)
    await fixed.reset()
  })

  it('a failure that is not SQL names the migration and keeps the error as cause', async () => {
    const broken = class extends Migration {
      async up() {
        throw new TypeError('forgot something')
      }
    }
    const error = (await new Migrator(ctx.db, { bundled: { '2026_03_02_000000_broken': broken } }).latest().catch((e: unknown) => e)) as MigrationError
    expect(error).toBeInstanceOf(MigrationError)
    expect(error.message).toMatch(/^Migration 2026_03_02_000000_broken failed: forgot something/)
    expect(error.details.statement).toBeUndefined()
    expect(error.cause).toBeInstanceOf(TypeError)
    expect(await migrationRows(ctx.db)).toEqual([])
  })

  it('a dry run reports the SQL and changes nothing', async () => {
    const seeded = class extends Migration {
      async up() {
        await this.schema.createTable('dry', (t) => {
          t.id()
          t.string('name')
        })
        await this.schema.raw('create index dry_name on dry (name)')
      }
      async down() {
        await this.schema.dropTable('dry')
      }
    }
    const migrator = new Migrator(ctx.db, { bundled: { '2026_04_01_000000_dry': seeded }, dryRun: true })
    const before = await tables(ctx.db)
    const run = await migrator.latest()
    expect(run.dryRun).toBe(true)
    expect(run.batch).toBe(1)
    const sql = run.migrations[0]!.statements.map((s) => s.sql)
    expect(sql[0]).toMatch(/^create table .dry./i)
    expect(sql).toContain('create index dry_name on dry (name)')
    expect(await tables(ctx.db)).toEqual(before)
    expect(await migrationRows(ctx.db)).toEqual([])

    // Rollback of an applied migration, dry: down()'s SQL, and the table stays.
    await migrator.latest({ dryRun: false })
    const back = await migrator.rollback()
    expect(back.migrations[0]!.statements.map((s) => s.sql)).toEqual([expect.stringMatching(/^drop table .dry./i)])
    expect(await tables(ctx.db)).toContain('dry')
    const fresh = await migrator.fresh()
    expect(fresh.dropped).toEqual(expect.arrayContaining(['dry', 'quarry_migrations']))
    expect(fresh.statements.length).toBe(fresh.dropped.length)
    expect(await tables(ctx.db)).toContain('dry')
    expect(await migrationRows(ctx.db)).toEqual([{ name: '2026_04_01_000000_dry', batch: 1 }])
    await migrator.reset({ dryRun: false })
    expect(await tables(ctx.db)).not.toContain('dry')
  })

  it('data changes in a dry run are rolled back too', async () => {
    await ctx.db.connection().knex.schema.createTable('counters', (t) => {
      t.increments('id')
      t.integer('n')
    })
    const writes = class extends Migration {
      async up() {
        await this.db.table('counters').insert({ n: 1 })
      }
    }
    const run = await new Migrator(ctx.db, { bundled: { '2026_04_02_000000_writes': writes } }).latest({ dryRun: true })
    expect(run.migrations[0]!.statements.map((s) => s.sql)).toEqual([expect.stringMatching(/^insert into .counters./i)])
    expect(await ctx.db.table('counters').count({ n: '*' })).toEqual([{ n: expect.anything() }])
    expect(Number((await ctx.db.table('counters').count({ n: '*' }))[0]!.n)).toBe(0)
    await ctx.db.connection().knex.schema.dropTable('counters')
  })

  it('two runs at once apply each migration exactly once', async () => {
    const other = await connect(ctx.target.config())
    try {
      const slow = class extends Migration {
        async up() {
          await this.schema.createTable('slow', (t) => t.id())
          await new Promise((r) => setTimeout(r, 300))
        }
        async down() {
          await this.schema.dropTable('slow')
        }
      }
      const set = { '2026_05_01_000000_slow': slow, '2026_05_01_000001_after': createTable('after_slow') }
      const waits: MigrationProgress[] = []
      const [a, b] = await Promise.all([
        new Migrator(ctx.db, { bundled: set, onProgress: (e) => e.type === 'waiting' && waits.push(e) }).latest(),
        new Migrator(other, { bundled: set, onProgress: (e) => e.type === 'waiting' && waits.push(e) }).latest(),
      ])
      expect([a.migrations.length, b.migrations.length].sort()).toEqual([0, 2])
      expect(waits).toHaveLength(1)
      expect(await migrationRows(ctx.db)).toEqual([
        { name: '2026_05_01_000000_slow', batch: 1 },
        { name: '2026_05_01_000001_after', batch: 1 },
      ])
      await new Migrator(ctx.db, { bundled: set }).reset()
    } finally {
      await other.close()
    }
  })

  it('a held lock makes a run wait, then fail with the way to release it', async () => {
    const other = await connect(ctx.target.config())
    const lock = new MigrationLock(other.connection())
    await lock.acquire({ timeoutMs: 1000 })
    try {
      const migrator = new Migrator(ctx.db, { bundled, lockTimeoutMs: 300 })
      const error = (await migrator.latest().catch((e: unknown) => e)) as MigrationError
      expect(error).toBeInstanceOf(MigrationError)
      if (lock.advisory) {
        expect(error.message).toMatch(/holds the migration lock \(waited 0\.3 s\).*advisory lock/)
        expect(await migrator.unlock()).toBe(false)
      } else {
        expect(error.message).toMatch(/The migration lock on "default" is held by .* pid \d+ .* since \d{4}-/)
        expect(error.message).toContain('release it with: npx quarry migrate:unlock')
        // A crashed run's lock: cleared by unlock(), then the run goes through.
        expect(await migrator.unlock()).toBe(true)
        expect(await migrator.unlock()).toBe(false)
        expect((await migrator.latest()).migrations).toHaveLength(2)
        await migrator.reset()
      }
    } finally {
      await lock.release()
      await other.close()
    }
  })

  it('runs migration files from a directory: .ts, .mjs and .js, in name order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-migrations-'))
    const body = (table: string) =>
      `import { Migration } from ${JSON.stringify(SRC)}\n` +
      `export default class extends Migration {\n` +
      `  async up() { await this.schema.createTable('${table}', (t) => { t.id() }) }\n` +
      `  async down() { await this.schema.dropTable('${table}') }\n}\n`
    writeFileSync(join(dir, '2026_06_01_000002_third.mjs'), body('third'))
    writeFileSync(join(dir, '2026_06_01_000000_first.ts'), body('first').replace('async up()', 'async up(): Promise<void>'))
    writeFileSync(join(dir, '2026_06_01_000001_second.js'), body('second'))
    writeFileSync(join(dir, 'README.md'), 'not a migration')
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }')
    const migrator = new Migrator(ctx.db, { directory: dir })
    const run = await migrator.latest()
    expect(run.migrations.map((m) => m.name)).toEqual([
      '2026_06_01_000000_first',
      '2026_06_01_000001_second',
      '2026_06_01_000002_third',
    ])
    await migrator.reset()

    writeFileSync(join(dir, 'create_users.ts'), body('users'))
    await expect(migrator.status()).rejects.toThrow(/must be named YYYY_MM_DD_HHMMSS_name .*: create_users\.ts/)

    const bad = mkdtempSync(join(tmpdir(), 'quarry-migrations-'))
    writeFileSync(join(bad, '2026_06_02_000000_nothing.mjs'), 'export const x = 1\n')
    const error = (await new Migrator(ctx.db, { directory: bad }).latest().catch((e: unknown) => e)) as MigrationError
    expect(error.message).toMatch(/2026_06_02_000000_nothing\.mjs must export default a class with up\(\)/)
    expect(await migrationRows(ctx.db)).toEqual([])

    const missing = join(dir, 'nope')
    await expect(new Migrator(ctx.db, { directory: missing }).latest()).rejects.toThrow(
      `The migrations directory ${missing} does not exist`,
    )
    mkdirSync(missing)
    expect(await new Migrator(ctx.db, { directory: missing }).status()).toEqual([])
  })

  it('withinTransaction = false runs a migration outside a transaction', async () => {
    let inTransaction: boolean | undefined
    const outside = class extends Migration {
      override withinTransaction = false
      async up() {
        inTransaction = this.connection.currentTransaction() !== undefined
      }
      async down() {}
    }
    const inside = class extends Migration {
      async up() {
        inTransaction = this.connection.currentTransaction() !== undefined
      }
      async down() {}
    }
    const migrator = new Migrator(ctx.db, { bundled: { '2026_07_01_000000_outside': outside } })
    await migrator.latest()
    expect(inTransaction).toBe(false)
    await migrator.reset()
    const other = new Migrator(ctx.db, { bundled: { '2026_07_01_000001_inside': inside } })
    await other.latest()
    expect(inTransaction).toBe(ctx.db.connection().dialect.supports.transactionalDdl)
    await other.reset()
  })

  it('types: the return shapes of API.md', () => {
    const migrator = new Migrator(ctx.db, { bundled })
    expectTypeOf(migrator.status).returns.resolves.items.toMatchTypeOf<{ name: string; batch: number | null; ranAt: Date | null }>()
    expectTypeOf<MigrationStatus['batch']>().toEqualTypeOf<number | null>()
    expectTypeOf(migrator.latest).returns.resolves.toEqualTypeOf<MigrationRun>()
    expectTypeOf(migrator.rollback).parameter(0).toEqualTypeOf<{ step?: number; dryRun?: boolean } | undefined>()
    // @ts-expect-error bundled migrations are classes with up(), not instances
    new Migrator(ctx.db, { bundled: { x: new (createTable('x'))() } })
    expect(migrator.connection.name).toBe('default')
  })

  it('a migration used outside a Migrator says so', () => {
    const Plain = createTable('x')
    expect(() => new Plain().schema).toThrow(/is not being run by a Migrator/)
  })
})
