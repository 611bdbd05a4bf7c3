// Models shared by the model and query tests, and the tables behind them (made with knex's
// schema builder directly, so these tests do not depend on Quarry's own schema builder).
import type { Knex } from 'knex'
import { column, Model, type ModelQuery, table } from '../../src/index.js'
import type { Database, Decimal } from '../../src/index.js'

@table('users')
export class User extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare name: string | null
  @column() declare age: number | null
  @column({ hidden: true }) declare password: string | null
  @column.json() declare settings: Record<string, unknown> | null
  @column.boolean() declare active: boolean
  @column.dateTime() declare lastLoginAt: Date | null
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @column.deletedAt() declare deletedAt: Date | null

  static fillable = ['email', 'name', 'age', 'settings', 'active', 'password', 'lastLoginAt']
  static scopes = {
    active: (q: ModelQuery<User>) => q.where('active', true),
    olderThan: (q: ModelQuery<User>, age: number) => q.where('age', '>', age),
    named: (q: ModelQuery<User>, first: string, second?: string) =>
      second === undefined ? q.where('name', first) : q.whereIn('name', [first, second]),
  }
}

@table('posts')
export class Post extends Model {
  @column.primary({ type: 'uuid' }) declare id: string
  @column() declare authorId: number
  @column() declare title: string
  @column.slug({ from: 'title' }) declare slug: string
  @column.boolean() declare published: boolean
  @column.version() declare version: number
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
}

/** A composite primary key, a custom column name and a `serializeAs`. */
@table('role_user')
export class RoleUser extends Model {
  @column.primary({ type: 'assigned' }) declare userId: number
  @column.primary({ type: 'assigned' }) declare roleId: number
  @column({ columnName: 'granted_by_user', serializeAs: 'grantedBy' }) declare grantor: number | null
}

/** Every cast, for round trips. */
@table('samples')
export class Sample extends Model {
  @column.primary() declare id: number
  @column() declare label: string | null
  @column() declare body: string | null
  @column() declare count: number | null
  @column() declare big: string | number | null
  @column.json() declare data: unknown
  @column.boolean() declare flag: boolean | null
  @column.date() declare day: Date | null
  @column.dateTime() declare at: Date | null
  @column.decimal({ scale: 2 }) declare price: Decimal | null
  @column({ cast: { get: (v: string) => v.split(',').filter(Boolean), set: (v: string[]) => v.join(',') } })
  declare tags: string[] | null
}

/** The tables of the models above, on a fresh database. */
export async function createSchema(db: Database): Promise<void> {
  // knex's schema builder accumulates statements: take a fresh one for each table.
  const schema = { createTable: (name: string, fn: (t: Knex.CreateTableBuilder) => void) => db.knex.schema.createTable(name, fn) }
  const stamps = (t: Knex.CreateTableBuilder) => {
    t.datetime('created_at', { precision: 3 }).notNullable()
    t.datetime('updated_at', { precision: 3 }).notNullable()
  }
  await schema.createTable('users', (t) => {
    t.increments('id')
    t.string('email').notNullable().unique()
    t.string('name').nullable()
    t.integer('age').nullable()
    t.string('password').nullable()
    t.json('settings').nullable()
    t.boolean('active').notNullable().defaultTo(true)
    t.datetime('last_login_at', { precision: 3 }).nullable()
    stamps(t)
    t.datetime('deleted_at', { precision: 3 }).nullable()
  })
  await schema.createTable('posts', (t) => {
    t.uuid('id').primary()
    t.integer('author_id').notNullable()
    t.string('title').notNullable()
    t.string('slug').notNullable().unique()
    t.boolean('published').notNullable().defaultTo(false)
    t.integer('version').notNullable()
    stamps(t)
  })
  await schema.createTable('role_user', (t) => {
    t.integer('user_id').notNullable()
    t.integer('role_id').notNullable()
    t.integer('granted_by_user').nullable()
    t.primary(['user_id', 'role_id'])
  })
  await schema.createTable('samples', (t) => {
    t.increments('id')
    t.string('label', 2000).nullable()
    t.text('body', 'longtext').nullable()
    t.integer('count').nullable()
    t.bigInteger('big').nullable()
    t.json('data').nullable()
    t.boolean('flag').nullable()
    t.date('day').nullable()
    t.datetime('at', { precision: 3 }).nullable()
    t.decimal('price', 14, 2).nullable()
    t.string('tags').nullable()
  })
}

/** Empties the tables between tests. */
export async function truncate(db: Database, ...tables: string[]): Promise<void> {
  for (const name of tables) await db.knex(name).delete()
}
