// Models, tables and HTTP helpers shared by the HTTP integration tests.
import type { Knex } from 'knex'
import { expect } from 'vitest'
import {
  belongsTo,
  type BelongsTo,
  column,
  type ConnectOptions,
  type Database,
  hasMany,
  type HasMany,
  Model,
  type QueryEvent,
  table,
} from '../../src/index.js'
import type { DialectContext } from '../support/databases.js'

@table('http_users')
export class User extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare name: string
  @column({ hidden: true }) declare apiToken: string | null

  @hasMany(() => Post, { foreignKey: 'authorId' }) declare posts: HasMany<Post>

  static fillable = ['email', 'name']
}

@table('http_posts')
export class Post extends Model {
  @column.primary() declare id: number
  @column() declare authorId: number
  @column() declare title: string

  @belongsTo(() => User, { foreignKey: 'authorId' }) declare author: BelongsTo<User>

  static fillable = ['authorId', 'title']
}

/** The tables behind the models (knex's schema builder, so these tests need only the models). */
export async function createTables(db: Database): Promise<void> {
  await db.knex.schema.createTable('http_users', (t: Knex.CreateTableBuilder) => {
    t.increments('id')
    t.string('email').notNullable().unique()
    t.string('name').notNullable()
    t.string('api_token').nullable()
  })
  await db.knex.schema.createTable('http_posts', (t: Knex.CreateTableBuilder) => {
    t.increments('id')
    t.integer('author_id').unsigned().notNullable().references('id').inTable('http_users')
    t.string('title').notNullable()
  })
}

/**
 * A config for the test database with a "replica" that is the same database (a second pool),
 * sticky: the query events' `role` tells where each statement went.
 */
export function replicaConfig(ctx: DialectContext): ConnectOptions {
  const node = ctx.dialect === 'sqlite' ? { filename: ctx.target.url.slice('sqlite:'.length) } : { url: ctx.target.url }
  return { connections: { default: { write: node, read: [node], sticky: true } } }
}

/** The role of the statement whose bindings include `marker` (each probe query binds its own). */
export function roleOf(events: readonly QueryEvent[], marker: string): string | undefined {
  return events.find((e) => e.bindings.some((b) => b === marker))?.role
}

export interface Answer {
  status: number
  text: string
  body: unknown
}

/** One request over real HTTP; the body as text and (when it parses) as JSON. */
export async function call(base: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  return { status: response.status, text, body: parsed }
}

/** What an error body must never carry: SQL, the values sent, stack frames. */
export function expectNoLeak(text: string, values: readonly string[]): void {
  expect(text).not.toMatch(/\b(select|insert|update|delete)\b.*\b(from|into|set)\b/i)
  expect(text).not.toMatch(/\bat .*\(.*:\d+:\d+\)|\.ts:\d+/)
  expect(text).not.toMatch(/stack/i)
  for (const value of values) expect(text).not.toContain(value)
}

/** A promise with its resolve, for holding a request at a known point. */
export function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => (open = resolve))
  return { promise, open }
}
