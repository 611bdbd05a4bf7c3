import { createRequire } from 'node:module'
import type { Knex } from 'knex'
import type { ResolvedConnection, ResolvedNode } from '../../connection/config.js'
import { quarryClient } from '../../connection/quarry-client.js'
import type { QuarryError } from '../../errors/index.js'
import { type AdvisoryLockSql, type Dialect, errorField, type InsertedKeys, isSocketFailure, networkSettings, type RowLookup, type ScriptSyntax } from '../dialect.js'
import type { FailedStatement } from '../error-table.js'
import { mysqlCatalog } from './mysql-catalog.js'
import { MysqlIndexNames } from './mysql-index-names.js'
import { isMysqlConnectionFailure, translateMysqlError } from './mysql-errors.js'
import type { InsertedRow } from '../insert-returning.js'
import { MysqlInserter } from './mysql-insert.js'
import { nativeDates } from '../date-storage.js'

const require = createRequire(import.meta.url)

interface MysqlField {
  type: string
  string(): string | null
}

/**
 * Reads DOUBLE and FLOAT columns with `Number()`: mysql2's own fast parser accumulates digits
 * and is not correctly rounded (999999.9999999979 came back as 999999.999999998).
 */
function exactDoubles(field: MysqlField, next: () => unknown): unknown {
  if (field.type !== 'DOUBLE' && field.type !== 'FLOAT') return next()
  const text = field.string()
  return text === null ? null : Number(text)
}

/** MySQL and MariaDB through `mysql2`. */
export class MysqlDialect implements Dialect {
  readonly name = 'mysql' as const
  readonly supports = {
    returning: false,
    transactionalDdl: false,
    advisoryLocks: true,
    rowLocks: true,
    isolationLevels: true,
    cancelQuery: true,
    nativeUuid: false,
    nativeJson: true,
    upsert: true,
    embedded: false,
    nonFiniteNumbers: false,
    namedStatements: false,
  }
  readonly maxBindings = 65_535
  readonly dates = nativeDates
  readonly columnTypes = { json: 'json', uuid: 'char(36)' }
  readonly catalog = mysqlCatalog
  readonly script: ScriptSyntax = { dollarQuotes: false, backslashEscapes: true, backtickIdentifiers: true, bracketIdentifiers: false, nestedComments: false, delimiterCommand: true, triggerBodies: false, escapeQuestionMarks: false }
  readonly listTablesSql =
    "select table_name as name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'"

  /** GET_LOCK names are server-wide, so the database's name is part of the lock's. */
  advisoryLock(name: string): AdvisoryLockSql {
    const key = "concat(?, ':', database())"
    return { tryAcquire: `get_lock(${key}, 0)`, release: `release_lock(${key})`, bindings: [name] }
  }

  /**
   * `INSERT IGNORE` would also turn foreign-key and NOT NULL failures into warnings; an update of
   * the colliding row's column to itself skips only duplicates.
   */
  ignoreDuplicates(column: string): { sql: string; bindings: string[] } {
    return { sql: 'on duplicate key update ?? = ??', bindings: [column, column] }
  }

  knexConfig(node: ResolvedNode, connection: ResolvedConnection): Knex.Config {
    const settings: Record<string, unknown> = {
      // Dates are written and read as UTC whatever the process's time zone.
      timezone: 'Z',
      charset: 'utf8mb4',
      supportBigNumbers: true,
      typeCast: exactDoubles,
      // JSON comes back as its text and is decoded once, by the column's cast (see exactDoubles).
      jsonStrings: true,
    }
    if (node.url !== undefined) settings.uri = node.url
    else Object.assign(settings, networkSettings(node))
    if (node.ssl !== undefined) settings.ssl = node.ssl
    return {
      client: quarryClient(require('knex/lib/dialects/mysql2/index.js')),
      connection: settings,
      pool: { min: connection.pool.min, max: connection.pool.max },
    }
  }

  /**
   * With innodb_autoinc_lock_mode 0 or 1 (MariaDB's default), a multi-row INSERT gets
   * consecutive keys (spaced by auto_increment_increment) from the first, which mysql2 reports
   * as `insertId`. Mode 2 (MySQL 8's default, Galera) may interleave them: no answer then.
   */
  async consecutiveInsertKeys(knex: Knex): Promise<InsertedKeys | undefined> {
    const [row] = this.rawRows(await knex.raw('select @@innodb_autoinc_lock_mode as mode, @@auto_increment_increment as step'))
    const mode = Number(row?.mode)
    const step = Number(row?.step)
    if (!(mode === 0 || mode === 1) || !Number.isInteger(step) || step < 1) return undefined
    return (result, count) => {
      const first = (Array.isArray(result) ? (result[0] as { insertId?: unknown }) : undefined)?.insertId
      if (typeof first === 'number') return Array.from({ length: count }, (_, i) => first + i * step)
      const big = BigInt(String(first))
      return Array.from({ length: count }, (_, i) => String(big + BigInt(i * step)))
    }
  }

  /** Index names resolved to tables and columns, for this connection. */
  private readonly indexNames = new MysqlIndexNames()

  translateError(error: unknown, statement?: FailedStatement) {
    return translateMysqlError(error, statement)
  }

  completeError(error: QuarryError, statement: FailedStatement, lookup: RowLookup): Promise<QuarryError> {
    return this.indexNames.complete(error, statement, lookup)
  }

  /** ER_SP_DOES_NOT_EXIST on a savepoint rollback: knex's MySQL transaction swallows it. */
  leftToKnex(error: unknown, sql: string): boolean {
    return Number(errorField(error, 'errno')) === 1305 && /^\s*rollback to savepoint\b/i.test(sql)
  }

  statementRan(sql: string): void {
    this.indexNames.statementRan(sql)
  }

  isConnectionFailure(error: unknown): boolean {
    return isSocketFailure(error) || isMysqlConnectionFailure(error)
  }

  private readonly inserter = new MysqlInserter((result) => this.rawRows(result))

  /** MariaDB ≥ 10.5 reads the row back with RETURNING; MySQL and older MariaDB give the insert id only. */
  insertRow(knex: Knex, table: string, row: Record<string, unknown>, columns: readonly string[], key: string | undefined): Promise<InsertedRow> {
    return this.inserter.insertRow(knex, table, row, columns, key)
  }

  rawRows(result: unknown): Record<string, unknown>[] {
    const first = Array.isArray(result) ? result[0] : undefined
    return Array.isArray(first) ? first : []
  }
}
