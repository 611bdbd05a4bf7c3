import { createRequire } from 'node:module'
import type { Knex } from 'knex'
import { fromSqliteInteger, normalizeIntegerRows } from './sqlite-integers.js'

const require = createRequire(import.meta.url)

interface BetterSqliteDatabase {
  defaultSafeIntegers(toggle: boolean): unknown
}

interface QueryObject {
  response?: unknown
  context?: { lastID?: unknown }
}

type BaseClient = new (config: Knex.Config) => Knex.Client & {
  acquireRawConnection(): Promise<BetterSqliteDatabase>
  _query(connection: unknown, obj: QueryObject): Promise<QueryObject>
}

const Base: BaseClient = require('knex/lib/dialects/better-sqlite3/index.js')

/**
 * knex's better-sqlite3 client, reading integers as bigint and converting them with
 * `fromSqliteInteger`: exact numbers up to 2^53, strings beyond, never a rounded double.
 */
export class SqliteKnexClient extends Base {
  override async acquireRawConnection(): Promise<BetterSqliteDatabase> {
    const db = await super.acquireRawConnection()
    db.defaultSafeIntegers(true)
    return db
  }

  override async _query(connection: unknown, obj: QueryObject): Promise<QueryObject> {
    const result = await super._query(connection, obj)
    const response = result.response
    if (Array.isArray(response)) normalizeIntegerRows(response)
    else if (response && typeof response === 'object') {
      const run = response as { lastInsertRowid?: unknown }
      if (typeof run.lastInsertRowid === 'bigint') run.lastInsertRowid = fromSqliteInteger(run.lastInsertRowid)
    }
    if (result.context && typeof result.context.lastID === 'bigint') result.context.lastID = fromSqliteInteger(result.context.lastID)
    return result
  }
}
