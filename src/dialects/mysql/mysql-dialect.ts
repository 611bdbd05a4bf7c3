import { createRequire } from 'node:module'
import type { Knex } from 'knex'
import type { ResolvedConnection, ResolvedNode } from '../../connection/config.js'
import { quarryClient } from '../../connection/quarry-client.js'
import type { QuarryError } from '../../errors/index.js'
import { type AdvisoryLockSql, type Dialect, errorField, isSocketFailure, networkSettings, type RowLookup } from '../dialect.js'
import type { FailedStatement } from '../error-table.js'
import { MysqlIndexNames } from './mysql-index-names.js'
import { isMysqlConnectionFailure, translateMysqlError } from './mysql-errors.js'

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
  readonly columnTypes = { json: 'json', uuid: 'char(36)' }
  readonly listTablesSql =
    "select table_name as name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE'"

  /** GET_LOCK names are server-wide, so the database's name is part of the lock's. */
  advisoryLock(name: string): AdvisoryLockSql {
    const key = "concat(?, ':', database())"
    return { tryAcquire: `get_lock(${key}, 0)`, release: `release_lock(${key})`, bindings: [name] }
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

  rawRows(result: unknown): Record<string, unknown>[] {
    const first = Array.isArray(result) ? result[0] : undefined
    return Array.isArray(first) ? first : []
  }
}
