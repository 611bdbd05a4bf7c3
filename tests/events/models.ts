// Models for the event tests, and their tables (made with knex's schema builder directly).
import { column, type Database, Model, table } from '../../src/index.js'

/** Soft-deletes: delete() is an update of deleted_at; forceDelete() removes the row. */
@table('event_members')
export class Member extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare name: string | null
  @column() declare visits: number
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
  @column.deletedAt() declare deletedAt: Date | null

  static fillable = ['email', 'name', 'visits']
}

/** A subclass on the same table: Member's listeners hear it too. */
@table('event_members')
export class Admin extends Member {}

/** No soft deletes: delete() removes the row. */
@table('event_notes')
export class Note extends Model {
  @column.primary() declare id: number
  @column() declare body: string

  static fillable = ['body']
}

export async function createEventSchema(db: Database): Promise<void> {
  await db.knex.schema.createTable('event_members', (t) => {
    t.increments('id')
    t.string('email').notNullable().unique()
    t.string('name').nullable()
    t.integer('visits').notNullable().defaultTo(0)
    t.datetime('created_at', { precision: 3 }).notNullable()
    t.datetime('updated_at', { precision: 3 }).notNullable()
    t.datetime('deleted_at', { precision: 3 }).nullable()
  })
  await db.knex.schema.createTable('event_notes', (t) => {
    t.increments('id')
    t.string('body').notNullable()
  })
}

/** The rows of a table as plain SQL sees them, by id. */
export async function rowsOf(db: Database, name: string): Promise<Array<Record<string, unknown>>> {
  return db.table(name).orderBy('id')
}
