import type { Knex } from 'knex'
import { beforeAll, beforeEach, expect, expectTypeOf, it } from 'vitest'
import {
  column,
  ForeignKeyBuilder,
  ForeignKeyViolationError,
  Migration,
  Migrator,
  Model,
  NotNullViolationError,
  SchemaBuilder,
  type Statement,
  table,
  type TableBuilder,
  UniqueViolationError,
} from '../../src/index.js'
import { forEachDialect } from '../support/databases.js'

/** The example table of API.md §6, as a migration. */
class CreateUsers extends Migration {
  async up() {
    await this.schema.createTable('teams', (t) => {
      t.id()
      t.string('name')
    })
    await this.schema.createTable('users', (t) => {
      t.id()
      t.uuid('public_id').unique()
      t.string('email').unique()
      t.string('name').nullable()
      t.json('settings').nullable()
      t.boolean('active').defaultTo(true)
      t.foreignId('team_id').constrained().cascadeOnDelete()
      t.morphs('commentable')
      t.integer('version').default(1)
      t.dateTime('last_login_at').nullable()
      t.timestamps()
      t.softDeletes()
    })
  }
  async down() {
    await this.schema.dropTable('users')
    await this.schema.dropTable('teams')
  }
}

@table('users')
class User extends Model {
  @column.primary() declare id: number
  @column() declare publicId: string
  @column() declare email: string
  @column() declare name: string | null
  @column.json() declare settings: Record<string, unknown> | null
  @column.boolean() declare active: boolean
  @column() declare teamId: number
  @column() declare commentableType: string
  @column() declare commentableId: number
  @column() declare version: number
  @column.dateTime() declare lastLoginAt: Date | null
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @column.deletedAt() declare deletedAt: Date | null
}

const UUID = '0190b7d2-5c1e-7a3b-9c4d-1e2f3a4b5c6d'

forEachDialect('schema builder', (ctx) => {
  let schema: SchemaBuilder
  beforeAll(async () => {
    schema = new SchemaBuilder(ctx.db.connection())
    await new Migrator(ctx.db, { bundled: { '2026_01_01_000000_create_users': CreateUsers } }).latest()
  })

  /** What the table builder compiles to, next to what the equivalent knex calls compile to. */
  async function compare(build: (t: TableBuilder) => void, knexBuild: (t: Knex.CreateTableBuilder) => void) {
    const planned: Statement[] = []
    await new SchemaBuilder(ctx.db.connection(), planned).createTable('shape', build)
    const knex = ctx.db.connection().knex.schema.createTable('shape', knexBuild).toSQL()
    return { ours: planned.map((s) => s.sql), knex: knex.map((s) => s.sql) }
  }

  beforeEach(async () => {
    await ctx.db.table('users').delete()
    await ctx.db.table('teams').delete()
  })

  const team = async (name = 'core') => {
    await ctx.db.table('teams').insert({ name })
    return Number((await ctx.db.table('teams').where('name', name).first('id'))!.id)
  }

  it('makes the columns of the API example: NOT NULL unless nullable(), each with its type, default and constraint', async () => {
    const teamId = await team()
    const base = { public_id: UUID, email: 'ada@example.com', team_id: teamId, commentable_type: 'post', commentable_id: 7 }
    await ctx.db.table('users').insert(base)
    const row = (await ctx.db.table('users').where('email', 'ada@example.com').first())!
    expect(Boolean(row.active)).toBe(true)
    expect(row.version).toBe(1)
    expect(row.name).toBeNull()
    expect(row.created_at).toBeNull()
    expect(row.deleted_at).toBeNull()
    expect(String(row.public_id).toLowerCase()).toBe(UUID)

    const info = await ctx.db.connection().knex('users').columnInfo()
    const supports = ctx.db.connection().dialect.supports
    if (supports.nativeUuid) expect(info.public_id!.type).toBe('uuid')
    else expect(info.public_id!.type).toMatch(/^(char|text)$/i)
    for (const name of ['name', 'settings', 'last_login_at', 'created_at', 'updated_at', 'deleted_at']) {
      expect(info[name]!.nullable).toBe(true)
    }
    for (const name of ['email', 'commentable_type', 'commentable_id', 'team_id']) expect(info[name]!.nullable).toBe(false)

    await expect(ctx.db.table('users').insert({ ...base, public_id: '0190b7d2-5c1e-7a3b-9c4d-000000000000' })).rejects.toThrow(UniqueViolationError)
    await expect(ctx.db.table('users').insert({ ...base, email: 'x@y.z', commentable_type: null })).rejects.toThrow(NotNullViolationError)
    await expect(ctx.db.table('users').insert({ ...base, email: 'x@y.z', public_id: UUID.replace('6d', '6e'), team_id: 999_999 })).rejects.toThrow(ForeignKeyViolationError)
    // cascadeOnDelete: removing the team removes its users.
    await ctx.db.table('teams').where('id', teamId).delete()
    expect(await ctx.db.table('users').select('id')).toEqual([])
  })

  it('json() is a JSON type where the database has one, and text that keeps its text elsewhere', async () => {
    const teamId = await team('json')
    const base = { public_id: UUID, email: 'j@example.com', team_id: teamId, commentable_type: 'post', commentable_id: 1 }
    if (ctx.db.connection().dialect.supports.nativeJson) {
      await expect(ctx.db.table('users').insert({ ...base, settings: 'not json' })).rejects.toThrow()
      await ctx.db.table('users').insert({ ...base, settings: JSON.stringify({ theme: 'dark', n: [1, 2] }) })
      const [row] = await ctx.db.raw<{ settings: unknown }>('select settings from users')
      const value = typeof row!.settings === 'string' ? JSON.parse(row!.settings) : row!.settings
      expect(value).toEqual({ theme: 'dark', n: [1, 2] })
    } else {
      // A numeric-looking text must stay text: a column without TEXT affinity would turn it into 12.
      await ctx.db.table('users').insert({ ...base, settings: '12' })
      const [row] = await ctx.db.raw<{ settings: unknown }>('select settings from users')
      expect(row!.settings).toBe('12')
    }
    await ctx.db.table('teams').delete()
  })

  it('dates round-trip to the millisecond', async () => {
    const teamId = await team('dates')
    const when = new Date('2031-02-03T04:05:06.789Z')
    await ctx.db.table('users').insert({
      public_id: UUID, email: 'd@example.com', team_id: teamId, commentable_type: 'post', commentable_id: 1,
      last_login_at: when, created_at: when, updated_at: when, deleted_at: when,
    })
    const row = (await ctx.db.table('users').first())!
    for (const name of ['last_login_at', 'created_at', 'updated_at', 'deleted_at']) {
      const value = row[name] as Date | number | string
      expect(new Date(value).getTime()).toBe(when.getTime())
    }
    await ctx.db.table('teams').delete()
  })

  it('foreign keys: table inferred from the name, nullOnDelete, restrictOnDelete, foreignUuid, uuidMorphs', async () => {
    await schema.createTable('categories', (t) => {
      t.uuid('id').primary()
      t.string('label')
    })
    await schema.createTable('articles', (t) => {
      t.id()
      t.foreignUuid('category_id').constrained().restrictOnDelete()
      t.foreignId('editor_id').nullable().constrained('teams').nullOnDelete()
      t.nullableUuidMorphs('subject')
      t.uuidMorphs('owner')
    })
    const teamId = await team('editors')
    await ctx.db.table('categories').insert({ id: UUID, label: 'News' })
    await ctx.db.table('articles').insert({ category_id: UUID, editor_id: teamId, owner_type: 'category', owner_id: UUID })
    const info = await ctx.db.connection().knex('articles').columnInfo()
    expect(info.owner_id!.type).toBe(info.category_id!.type)
    expect(info.subject_id!.nullable).toBe(true)
    expect(info.owner_id!.nullable).toBe(false)

    await ctx.db.table('teams').where('id', teamId).delete()
    expect((await ctx.db.table('articles').first('editor_id'))!.editor_id).toBeNull()
    await expect(ctx.db.table('categories').delete()).rejects.toThrow(ForeignKeyViolationError)
    await expect(ctx.db.table('articles').insert({ category_id: UUID.replace('6d', '00'), owner_type: 'x', owner_id: UUID })).rejects.toThrow(ForeignKeyViolationError)
    await schema.dropTable('articles')
    await schema.dropTable('categories')
  })

  it('compiles to what the equivalent knex calls compile to', async () => {
    const foreign = await compare(
      (t) => {
        t.id()
        t.foreignId('team_id').constrained().cascadeOnDelete()
        t.string('email').unique()
        t.integer('version').default(1)
      },
      (t) => {
        t.bigIncrements('id')
        t.bigInteger('team_id').unsigned().notNullable().references('id').inTable('teams').onDelete('CASCADE')
        t.string('email').notNullable().unique()
        t.integer('version').notNullable().defaultTo(1)
      },
    )
    expect(foreign.ours).toEqual(foreign.knex)
    const dates = await compare(
      (t) => {
        t.timestamps()
        t.softDeletes()
      },
      (t) => {
        t.datetime('created_at', { precision: 3 }).notNullable().nullable()
        t.datetime('updated_at', { precision: 3 }).notNullable().nullable()
        t.datetime('deleted_at', { precision: 3 }).notNullable().nullable()
      },
    )
    expect(dates.ours).toEqual(dates.knex)
    const morphs = await compare(
      (t) => t.morphs('taggable'),
      (t) => {
        t.string('taggable_type').notNullable()
        t.bigInteger('taggable_id').unsigned().notNullable()
        t.index(['taggable_type', 'taggable_id'])
      },
    )
    expect(morphs.ours).toEqual(morphs.knex)
    const uuid = await compare((t) => t.uuid('u').nullable(), (t) => t.specificType('u', ctx.db.connection().dialect.columnTypes.uuid).nullable())
    expect(uuid.ours).toEqual(uuid.knex)
  })

  it('infers categories from category_id, and says what to do when it cannot infer', async () => {
    const planned: Statement[] = []
    const dry = new SchemaBuilder(ctx.db.connection(), planned)
    await dry.createTable('x', (t) => {
      t.foreignId('category_id').constrained()
      t.foreignId('person_id').constrained()
    })
    const sql = planned.map((s) => s.sql).join('\n')
    expect(sql).toMatch(/references .categories. ?\(.id.\)/)
    expect(sql).toMatch(/references .people. ?\(.id.\)/)
    await expect(dry.createTable('y', (t) => {
      t.foreignId('owner').constrained()
    })).rejects.toThrow(/Cannot infer the referenced table from the column "owner".*constrained\('teams'\)/)
    await expect(dry.createTable('z', (t) => {
      t.integer('a').references('id').onDelete('CASCADE')
    })).rejects.toThrow(/The foreign key on a names no table/)
    expect(await schema.hasTable('x')).toBe(false)
  })

  it('alters, renames and drops tables and columns; hasTable, hasColumn, raw', async () => {
    await schema.createTable('notes', (t) => {
      t.increments('id')
      t.string('body')
    })
    expect(await schema.hasTable('notes')).toBe(true)
    await schema.alterTable('notes', (t) => {
      t.string('title').nullable()
      t.renameColumn('body', 'text')
    })
    expect(await schema.hasColumn('notes', 'title')).toBe(true)
    expect(await schema.hasColumn('notes', 'text')).toBe(true)
    expect(await schema.hasColumn('notes', 'body')).toBe(false)
    await schema.table('notes', (t) => t.dropColumn('title'))
    expect(await schema.hasColumn('notes', 'title')).toBe(false)
    await schema.renameTable('notes', 'memos')
    expect(await schema.hasTable('notes')).toBe(false)
    await schema.raw('insert into memos (text) values (?)', ['hello'])
    expect(await schema.raw('select text from memos')).toEqual([{ text: 'hello' }])
    await schema.dropTableIfExists('memos')
    await schema.dropTableIfExists('memos')
    expect(await schema.hasTable('memos')).toBe(false)
    await expect(schema.dropTable('memos')).rejects.toThrow()
  })

  it('rejects an async table callback instead of silently losing its columns', async () => {
    await expect(
      schema.createTable('late', (async (t: TableBuilder) => {
        await Promise.resolve()
        t.string('never')
      }) as unknown as (t: TableBuilder) => void),
    ).rejects.toThrow(/The callback given for table "late" must be synchronous/)
    expect(await schema.hasTable('late')).toBe(false)
  })

  it('types: foreign key actions only after a reference, and the knex builder as escape hatch', () => {
    const check = (t: TableBuilder) => {
      expectTypeOf(t.foreignId('team_id').constrained()).toEqualTypeOf<ForeignKeyBuilder>()
      expectTypeOf(t.string('x').nullable().default('a').unique()).toHaveProperty('knexColumn')
      // @ts-expect-error a plain column has no foreign key to act on
      t.string('x').cascadeOnDelete()
      // @ts-expect-error constrained() belongs to foreignId/foreignUuid columns
      t.integer('x').constrained()
      expectTypeOf(t.knexTable).toEqualTypeOf<Knex.TableBuilder>()
    }
    expect(typeof check).toBe('function')
  })

  it('a model reads and writes the table a migration made', async () => {
    const teamId = await team('models')
    const user = await User.create({
      publicId: UUID,
      email: 'ada@example.com',
      name: 'Ada',
      settings: { theme: 'dark', tags: ['a', 'b'], n: 12 },
      active: false,
      teamId,
      commentableType: 'post',
      commentableId: 3,
      lastLoginAt: new Date('2031-02-03T04:05:06.789Z'),
    })
    const found = (await User.find(user.id))!
    expect(found.publicId.toLowerCase()).toBe(UUID)
    expect(found.settings).toEqual({ theme: 'dark', tags: ['a', 'b'], n: 12 })
    expect(found.active).toBe(false)
    expect(found.lastLoginAt!.getTime()).toBe(Date.parse('2031-02-03T04:05:06.789Z'))
    expect(found.createdAt.getTime()).toBe(user.createdAt.getTime())
    // The column's default, read back (a model does not fetch defaults on create, as in Eloquent).
    expect(found.version).toBe(1)
    found.settings = { theme: 'light' }
    found.active = true
    await found.save()
    const again = (await User.find(user.id))!
    expect(again.settings).toEqual({ theme: 'light' })
    expect(again.active).toBe(true)
    await again.delete()
    expect(await User.find(user.id)).toBeNull()
    const raw = (await ctx.db.table('users').where('id', user.id).first('deleted_at'))!
    expect(raw.deleted_at).not.toBeNull()
    await ctx.db.table('teams').delete()
  })
})
