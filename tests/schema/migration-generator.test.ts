import 'reflect-metadata'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { belongsTo, type BelongsTo, belongsToMany, type BelongsToMany, column, Migrator, Model, QuarryError, table } from '../../src/index.js'
import { modelSchema } from '../../src/schema/model-schema.js'
import { writeMigration } from '../../src/schema/migration-writer.js'
import { describeChange } from '../../src/schema/schema-diff.js'
import { planSchema } from '../../src/schema/schema-plan.js'
import { wipeDatabase } from '../../src/schema/wipe-database.js'
import { models as shop } from '../../examples/ecommerce/models.js'
import { type DialectContext, forEachDialect } from '../support/databases.js'

const SRC = resolve(import.meta.dirname, '../../src/index.ts')

// Each version of the "members" model is its own class over the same table.
@table('teams')
class Team extends Model {
  @column.primary() declare id: number
  @column({ type: 'string', length: 60 }) declare name: string
}

@table('members')
class MemberV1 extends Model {
  @column.primary() declare id: number
  @column({ type: 'string', length: 80 }) declare name: string
  @column({ type: 'string', nullable: true }) declare note: string | null
}

@table('members')
class MemberV2 extends Model {
  @column.primary() declare id: number
  @column({ type: 'string', length: 120 }) declare name: string                  // longer
  @column({ type: 'string' }) declare note: string                               // now NOT NULL
  @column({ type: 'string', unique: true, nullable: true }) declare email: string | null   // new, unique
  @column({ type: 'integer', default: 3, index: true }) declare level: number    // new, default, indexed
  @column() declare teamId: number                                               // new, foreign key
  @belongsTo(() => Team) declare team: BelongsTo<Team>
}

@table('members')
class MemberRenamed extends Model {
  @column.primary() declare id: number
  @column({ type: 'string', length: 80 }) declare fullName: string
  @column({ type: 'string', nullable: true }) declare note: string | null
}

@table('members')
class MemberSmaller extends Model {
  @column.primary() declare id: number
  @column({ type: 'string', length: 80 }) declare name: string
}

async function generateAndMigrate(ctx: DialectContext, dir: string, name: string, models: Array<abstract new () => Model>, options = {}) {
  const plan = await planSchema(ctx.db.connection(), models, options)
  if (plan.changes.length) writeFileSync(join(dir, `${name}.ts`), writeMigration(plan.changes, SRC))
  const run = await new Migrator(ctx.db, { directory: dir }).latest()
  return { plan, run }
}

const described = async (ctx: DialectContext, models: Array<abstract new () => Model>, options = {}) =>
  (await planSchema(ctx.db.connection(), models, options)).changes.map(describeChange)

forEachDialect('migration generator', (ctx) => {
  beforeEach(async () => {
    await wipeDatabase(ctx.db.connection())
  })

  it('round trip on the e-commerce schema: generate on an empty database, migrate, generate again writes nothing, roll back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-gen-'))
    const { plan } = await generateAndMigrate(ctx, dir, '2026_01_01_000000_shop', shop)
    expect(plan.changes.map(describeChange)).toEqual(expect.arrayContaining(['create table product_tag (pivot of Product.tags)', 'create table orders (Order)']))
    expect(await described(ctx, shop)).toEqual([])
    expect((await ctx.db.schema.getForeignKeys('order_lines')).map((k) => [k.columns, k.foreignTable])).toEqual(
      expect.arrayContaining([[['order_id'], 'orders'], [['product_id'], 'products']]),
    )
    const pivotKeys = await ctx.db.schema.getForeignKeys('product_tag')
    expect(pivotKeys.map((k) => k.onDelete)).toEqual(['CASCADE', 'CASCADE'])
    expect((await ctx.db.schema.getIndexes('product_tag')).some((i) => i.unique && i.columns.join() === 'product_id,tag_id')).toBe(true)
    expect((await ctx.db.schema.getIndexes('images')).some((i) => i.columns.join() === 'imageable_type,imageable_id')).toBe(true)
    await new Migrator(ctx.db, { directory: dir }).rollback()
    expect((await ctx.db.schema.getTables()).map((t) => t.name).filter((n) => !n.startsWith('quarry_'))).toEqual([])
  })

  it('each kind of change: a longer string, NOT NULL, new columns with a unique index, a default, an index and a foreign key; down undoes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-gen-'))
    await generateAndMigrate(ctx, dir, '2026_01_01_000000_v1', [Team, MemberV1])
    const plan = await described(ctx, [Team, MemberV2])
    expect(plan).toEqual([
      'change column members.name: length 80 → 120',
      'change column members.note: nullable → NOT NULL',
      'add column members.email (string, nullable)',
      'add column members.level (integer)',
      'add column members.team_id (bigInteger)',
      'add unique index on members (email)',
      'add index on members (level)',
      'add foreign key members (team_id) → teams (id)',
    ])
    await ctx.db.table('teams').insert({ id: 1, name: 'Red' })
    // A nullable foreign key would be needed for existing rows; the table is empty here.
    await generateAndMigrate(ctx, dir, '2026_01_01_000001_v2', [Team, MemberV2])
    expect(await described(ctx, [Team, MemberV2])).toEqual([])
    const level = (await ctx.db.schema.getColumns('members')).find((c) => c.name === 'level')!
    expect(level.nullable).toBe(false)
    expect(level.default).toMatch(/3/)
    await ctx.db.table('members').insert({ name: 'Ann', note: 'x', team_id: 1 })
    expect((await ctx.db.table('members').select('level'))[0]!.level).toBe(3)
    await ctx.db.table('members').delete()

    await new Migrator(ctx.db, { directory: dir }).rollback()
    expect(await described(ctx, [Team, MemberV1])).toEqual([])
  })

  it('renames only when told; otherwise a drop is refused and listed as a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-gen-'))
    await generateAndMigrate(ctx, dir, '2026_01_01_000000_v1', [MemberV1])
    await ctx.db.table('members').insert({ name: 'Ann', note: null })

    const guessed = await planSchema(ctx.db.connection(), [MemberRenamed])
    expect(guessed.changes.map(describeChange)).toEqual(['add column members.full_name (string)'])
    expect(guessed.warnings).toEqual(['drop column members.name (left out: pass --allow-drop to drop it, or --rename if it was renamed)'])

    const { plan } = await generateAndMigrate(ctx, dir, '2026_01_01_000001_rename', [MemberRenamed], { renames: ['members.name:full_name'] })
    expect(plan.changes.map(describeChange)).toEqual(['rename column members.name → full_name'])
    expect(await ctx.db.table('members').select('full_name')).toEqual([{ full_name: 'Ann' }])
    expect(await described(ctx, [MemberRenamed])).toEqual([])
    await new Migrator(ctx.db, { directory: dir }).rollback()
    expect(await ctx.db.table('members').select('name')).toEqual([{ name: 'Ann' }])

    await expect(planSchema(ctx.db.connection(), [MemberRenamed], { renames: ['members.nope:full_name'] })).rejects.toThrow(/the table members has no column nope/)
    await expect(planSchema(ctx.db.connection(), [MemberRenamed], { renames: ['members-name'] })).rejects.toThrow(/write table\.old_column:new_column, or old_table:new_table/)
  })

  it('drops a column and a table only with allowDrop, and down brings them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-gen-'))
    await generateAndMigrate(ctx, dir, '2026_01_01_000000_v1', [Team, MemberV1])
    const refused = await planSchema(ctx.db.connection(), [MemberSmaller])
    expect(refused.changes).toEqual([])
    expect(refused.warnings).toEqual([
      'drop column members.note (left out: pass --allow-drop to drop it, or --rename if it was renamed)',
      'drop table teams (left out: pass --allow-drop to drop it, or --rename if it was renamed)',
    ])
    const { plan } = await generateAndMigrate(ctx, dir, '2026_01_01_000001_drop', [MemberSmaller], { allowDrop: true })
    expect(plan.changes.map(describeChange)).toEqual(['drop column members.note', 'drop table teams'])
    expect(await described(ctx, [MemberSmaller], { allowDrop: true })).toEqual([])
    await new Migrator(ctx.db, { directory: dir }).rollback()
    expect(await described(ctx, [Team, MemberV1], { allowDrop: true })).toEqual([])
  })
})

describe('what the models declare', () => {
  it('names every property whose type cannot be told, before any SQL', () => {
    @table('gadgets')
    class Gadget extends Model {
      @column.primary() declare id: number
      // Unions and unknown emit Object as their design type, which says nothing.
      @column() declare label: unknown
      @column({ columnName: 'w' }) declare weight: string | number
    }
    expect(() => modelSchema([Gadget])).toThrow(QuarryError)
    expect(() => modelSchema([Gadget])).toThrow(/Gadget\.label \(column "label" of gadgets\)\n\s+Gadget\.weight \(column "w" of gadgets\)/)
  })

  it('takes a plain column\'s type from decorator metadata where it was emitted', () => {
    @table('widgets')
    class Widget extends Model {
      @column.primary() declare id: number
      @Reflect.metadata('design:type', String) @column() declare label: string
      @Reflect.metadata('design:type', Boolean) @column() declare shiny: boolean
      @Reflect.metadata('design:type', Date) @column({ nullable: true }) declare seenAt: Date | null
    }
    const [widgets] = modelSchema([Widget])
    expect(widgets!.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['id', 'bigInteger', false], ['label', 'string', false], ['shiny', 'boolean', false], ['seen_at', 'dateTime', true],
    ])
  })

  it('typed variants imply their types; options are checked when declared', () => {
    @table('things')
    class Thing extends Model {
      @column.primary({ type: 'uuid' }) declare id: string
      @column.boolean() declare on: boolean
      @column.json() declare data: unknown
      @column.date() declare day: Date
      @column.decimal() declare price: string
      @column.slug({ from: 'title' }) declare slug: string
      @column({ type: 'string' }) declare title: string
      @column.version() declare version: number
      @column.createdAt() declare createdAt: Date
      @column.deletedAt() declare deletedAt: Date | null
      @column({ type: 'enum', values: ['a', 'b'], default: 'a' }) declare kind: string
    }
    const [things] = modelSchema([Thing])
    expect(things!.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'uuid'], ['on', 'boolean'], ['data', 'json'], ['day', 'date'], ['price', 'decimal'], ['slug', 'string'], ['title', 'string'],
      ['version', 'integer'], ['created_at', 'dateTime'], ['deleted_at', 'dateTime'], ['kind', 'enum'],
    ])
    expect(things!.columns.find((c) => c.name === 'deleted_at')!.nullable).toBe(true)
    expect(things!.columns.find((c) => c.name === 'kind')).toMatchObject({ values: ['a', 'b'], default: 'a' })
    expect(() => column({ type: 'varchar' as never })).toThrow(/type must be one of string, text/)
    expect(() => column({ length: -1 })).toThrow(/length must be a whole number/)
    expect(() => column({ nullable: 'yes' as never })).toThrow(/nullable must be true or false/)
  })

  it('a pivot column without a type is an error naming the relation; a pivot model declares it', () => {
    @table('roles')
    class Role extends Model {
      @column.primary() declare id: number
    }
    @table('people')
    class Person extends Model {
      @column.primary() declare id: number
      @belongsToMany(() => Role, { pivotTable: 'person_role', pivotColumns: ['grantedBy'] }) declare roles: BelongsToMany<Role>
    }
    expect(() => modelSchema([Person, Role])).toThrow(/Person\.roles: the migration generator cannot tell the type of the pivot column "granted_by" of person_role/)
    @table('person_role')
    class PersonRole extends Model {
      @column({ type: 'bigInteger' }) declare personId: number
      @column({ type: 'bigInteger' }) declare roleId: number
      @column({ type: 'integer' }) declare grantedBy: number
    }
    const tables = modelSchema([Person, Role, PersonRole])
    expect(tables.find((t) => t.name === 'person_role')!.source).toBe('PersonRole')
  })

  it('the writer makes readable code with an up and a down', () => {
    const source = writeMigration([{ kind: 'addColumn', table: 'users', column: { name: 'nickname', type: 'string', length: 120, nullable: true, primary: false, autoIncrement: false, unsigned: false } }])
    expect(source).toContain("import { Migration } from 'quarry'")
    expect(source).toContain("    await this.schema.alterTable('users', (t) => {\n      t.string('nickname', 120).nullable()\n    })")
    expect(source).toContain("  async down(): Promise<void> {\n    await this.schema.alterTable('users', (t) => {\n      t.dropColumn('nickname')\n    })")
  })
})
