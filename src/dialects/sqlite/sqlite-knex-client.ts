import { createRequire } from 'node:module'
import type { Knex } from 'knex'
import { formatSqliteDateTime } from './sqlite-dates.js'
import { readRows } from './sqlite-rows.js'
import { fromSqliteInteger, hasUnsafeNumber, normalizeIntegerRows } from './sqlite-integers.js'
import { StatementCache } from './statement-cache.js'

const require = createRequire(import.meta.url)

interface Statement {
  readonly reader: boolean
  readonly readonly: boolean
  safeIntegers(toggle: boolean): Statement
  raw(toggle: boolean): Statement
  columns(): Array<{ readonly name: string }>
  all(bindings: unknown[]): Array<Record<string, unknown>>
  run(bindings: unknown[]): { changes: number; lastInsertRowid: number | bigint }
}

interface BetterSqliteDatabase {
  defaultSafeIntegers(toggle: boolean): unknown
  prepare(sql: string): Statement
  [STATEMENTS]?: StatementCache<Statement>
}

// Kept on the connection itself: knex's transaction clients are prototype copies of the client
// without its instance fields, and a cache belongs to one connection anyway.
const STATEMENTS = Symbol('quarry.statements')

/** The prepared statements cached for one better-sqlite3 connection. */
export function statementCacheOf(connection: object): { readonly size: number } | undefined {
  return (connection as BetterSqliteDatabase)[STATEMENTS]
}

interface QueryObject {
  sql: string
  bindings?: unknown[]
  response?: unknown
  context?: { lastID?: unknown; changes?: number }
}

type BaseClient = new (config: Knex.Config) => Knex.Client & {
  acquireRawConnection(): Promise<BetterSqliteDatabase>
  _formatBindings(bindings: unknown[] | undefined): unknown[]
}

const Base: BaseClient = require('knex/lib/dialects/better-sqlite3/index.js')

/** Statements that change the schema: the connection's prepared statements are dropped after one. */
const SCHEMA_CHANGE = /^\s*(create|alter|drop|vacuum|reindex)\b/i

/**
 * knex's better-sqlite3 client with four changes:
 * - a bound `Date` is ISO-8601 UTC text (`2026-01-02 10:00:00.123`, see `sqlite-dates.ts`), not
 *   knex's epoch milliseconds, which SQLite's date functions do not read and a TEXT column keeps
 *   as `'1796432171922.0'`;
 * - integers beyond 2^53 are read exactly, as strings (numbers up to 2^53), never a rounded double.
 *   A read-only statement reads integers as numbers, the fast way; if any value of the result is a
 *   number beyond 2^53 (an integer that may have been rounded, or a large REAL), the statement is
 *   run again reading integers as bigint, converted by `fromSqliteInteger`. Reading bigints every
 *   time cost about 10% of loading 10,000 rows. Statements that write (RETURNING included) always
 *   read bigints: they cannot be run twice;
 * - a read-only statement that returned many rows reads its rows as arrays from then on, made
 *   into objects in JavaScript (see `sqlite-rows.ts`): better-sqlite3 builds row objects a
 *   property at a time, which was most of the cost of loading 10,000 rows;
 * - prepared statements are kept per connection in a bounded LRU cache, so a repeated query
 *   shape is compiled by SQLite once. SQLite re-prepares a cached statement by itself when the
 *   schema changes (even from another connection), and this connection's own DDL empties its
 *   cache, so no statement outlives the schema it was made for.
 */
export class SqliteKnexClient extends Base {
  override async acquireRawConnection(): Promise<BetterSqliteDatabase> {
    const db = await super.acquireRawConnection()
    db.defaultSafeIntegers(true)
    return db
  }

  override _formatBindings(bindings: unknown[] | undefined): unknown[] {
    if (!bindings) return []
    const out = new Array<unknown>(bindings.length)
    for (let i = 0; i < bindings.length; i++) {
      const binding = bindings[i]
      out[i] = binding instanceof Date ? formatSqliteDateTime(binding) : typeof binding === 'boolean' ? Number(binding) : binding
    }
    return out
  }

  async _query(connection: BetterSqliteDatabase, obj: QueryObject): Promise<QueryObject> {
    if (!obj.sql) throw new Error('The query is empty')
    const cache = (connection[STATEMENTS] ??= new StatementCache(STATEMENT_CACHE_SIZE))
    const statement = cache.get(obj.sql) ?? cache.set(obj.sql, prepare(connection, obj.sql))
    const bindings = this._formatBindings(obj.bindings)
    if (statement.reader) {
      let rows = statement.readonly ? readRows(statement, bindings) : statement.all(bindings)
      if (!statement.readonly) {
        normalizeIntegerRows(rows)
      } else if (hasUnsafeNumber(rows)) {
        statement.safeIntegers(true)
        try {
          rows = statement.all(bindings)
        } finally {
          statement.safeIntegers(false)
        }
        normalizeIntegerRows(rows)
      }
      obj.response = rows
      return obj
    }
    const run = statement.run(bindings)
    const lastID = typeof run.lastInsertRowid === 'bigint' ? fromSqliteInteger(run.lastInsertRowid) : run.lastInsertRowid
    obj.response = { changes: run.changes, lastInsertRowid: lastID }
    obj.context = { lastID, changes: run.changes }
    if (SCHEMA_CHANGE.test(obj.sql)) cache.clear()
    return obj
  }
}

/** A new statement: read-only ones read integers as numbers (see SqliteKnexClient). */
function prepare(connection: BetterSqliteDatabase, sql: string): Statement {
  const statement = connection.prepare(sql)
  return statement.readonly && statement.reader ? statement.safeIntegers(false) : statement
}

/** Distinct statements kept per connection; the least recently used is dropped past this. */
export const STATEMENT_CACHE_SIZE = 500
