import { createRequire } from 'node:module'
import type { Knex } from 'knex'
import type { ResolvedConnection, ResolvedNode } from '../../connection/config.js'
import { type ClientClass, quarryClient } from '../../connection/quarry-client.js'
import type { Dialect, ScriptSyntax } from '../dialect.js'
import type { FailedStatement } from '../error-table.js'
import { sqliteCatalog } from './sqlite-catalog.js'
import { translateSqliteError } from './sqlite-errors.js'
import { SqliteKnexClient } from './sqlite-knex-client.js'
import { type InsertedRow, insertReturning } from '../insert-returning.js'
import { sqliteDates } from './sqlite-dates.js'

interface BetterSqliteDatabase {
  pragma(source: string): unknown
}

type TransactionClass = new (...args: unknown[]) => { query(conn: unknown, sql: string): Promise<unknown> }
const KnexSqliteTransaction = createRequire(import.meta.url)('knex/lib/dialects/sqlite3/execution/sqlite-transaction.js') as TransactionClass

/**
 * `BEGIN IMMEDIATE`: a transaction takes the write lock when it starts, waiting for it within the
 * busy timeout. A plain (deferred) `BEGIN` that reads and then writes while another process
 * writes the same file fails at once with SQLITE_BUSY, which no busy timeout retries.
 */
class ImmediateTransaction extends KnexSqliteTransaction {
  begin(conn: unknown): Promise<unknown> {
    return this.query(conn, 'BEGIN IMMEDIATE;')
  }
}

class ImmediateSqliteClient extends SqliteKnexClient {
  override transaction(...args: unknown[]): Knex.Transaction {
    return new ImmediateTransaction(this, ...args) as unknown as Knex.Transaction
  }
}

/**
 * SQLite through better-sqlite3: WAL journal for files, foreign keys enforced, a busy timeout
 * so a second writer waits instead of failing with SQLITE_BUSY, and transactions that take the
 * write lock up front.
 */
export class SqliteDialect implements Dialect {
  readonly name: Dialect['name'] = 'sqlite'
  readonly supports = {
    returning: true,
    transactionalDdl: true,
    advisoryLocks: false,
    rowLocks: false,
    isolationLevels: false,
    cancelQuery: false,
    nativeUuid: false,
    nativeJson: false,
    upsert: true,
    embedded: true,
    nonFiniteNumbers: false,
    namedStatements: false,
  }
  // SQLITE_MAX_VARIABLE_NUMBER is 32766 since 3.32.
  readonly maxBindings = 32_766
  // A declared type without TEXT/CHAR would give the column numeric affinity and turn '12' into 12.
  readonly dates = sqliteDates
  readonly columnTypes = { json: 'text', uuid: 'text' }
  readonly catalog = sqliteCatalog
  readonly script: ScriptSyntax = { dollarQuotes: false, backslashEscapes: false, backtickIdentifiers: true, bracketIdentifiers: true, nestedComments: false, delimiterCommand: false, triggerBodies: true, escapeQuestionMarks: false }
  readonly listTablesSql = "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'"

  /**
   * The upsert form without a conflict target (not `INSERT OR IGNORE`, which would also skip rows
   * failing NOT NULL or CHECK constraints).
   */
  ignoreDuplicates(): { sql: string; bindings: string[] } {
    return { sql: 'on conflict do nothing', bindings: [] }
  }

  knexConfig(node: ResolvedNode, connection: ResolvedConnection): Knex.Config {
    const busyTimeoutMs = connection.busyTimeoutMs
    const inMemory = node.filename === ':memory:'
    return {
      client: quarryClient(ImmediateSqliteClient as unknown as ClientClass),
      connection: { filename: node.filename! },
      useNullAsDefault: true,
      pool: {
        min: connection.pool.min,
        max: connection.pool.max,
        afterCreate(db: BetterSqliteDatabase, done: (error: Error | null, db: unknown) => void) {
          try {
            db.pragma('foreign_keys = ON')
            db.pragma(`busy_timeout = ${busyTimeoutMs}`)
            if (!inMemory) db.pragma('journal_mode = WAL')
            done(null, db)
          } catch (error) {
            done(error as Error, db)
          }
        },
      },
    }
  }

  translateError(error: unknown, statement?: FailedStatement) {
    return translateSqliteError(error, statement)
  }

  isConnectionFailure(_error: unknown): boolean {
    return false
  }

  insertRow(knex: Knex, table: string, row: Record<string, unknown>, columns: readonly string[]): Promise<InsertedRow> {
    return insertReturning(knex, table, row, columns)
  }

  rawRows(result: unknown): Record<string, unknown>[] {
    return Array.isArray(result) ? result : []
  }
}
