import type { Knex } from 'knex'
import type { QuarryError } from '../errors/index.js'
import type { ResolvedConnection, ResolvedNode } from '../connection/config.js'
import type { FailedStatement } from './error-table.js'

/** Runs a query on the connection where a statement failed and resolves to its rows. */
export type RowLookup = (sql: string, bindings: readonly unknown[]) => Promise<Record<string, unknown>[]>

export type DriverName = 'postgres' | 'cockroachdb' | 'mysql' | 'sqlite' | 'libsql'

/**
 * What a database can do. Everything outside `src/dialects` asks these flags, never a
 * dialect's name.
 */
export interface DialectCapabilities {
  /** `INSERT … RETURNING` (PostgreSQL, CockroachDB, SQLite ≥ 3.35, libSQL). */
  returning: boolean
  /** DDL inside a transaction is rolled back with it. */
  transactionalDdl: boolean
  /** Session-level advisory locks (`pg_advisory_lock`, MySQL `GET_LOCK`). */
  advisoryLocks: boolean
  /** `SELECT … FOR UPDATE` / `FOR SHARE`; SQLite locks the whole database instead. */
  rowLocks: boolean
  /** `SET TRANSACTION ISOLATION LEVEL …`. */
  isolationLevels: boolean
  /** A running statement can be cancelled from another connection. */
  cancelQuery: boolean
  /** A native `uuid` column type. */
  nativeUuid: boolean
  /** A native JSON type (`jsonb`, `json`) rather than text. */
  nativeJson: boolean
  /** `INSERT … ON CONFLICT` / `ON DUPLICATE KEY UPDATE`. */
  upsert: boolean
  /** The database runs in this process and serialises writers (SQLite, local libSQL). */
  embedded: boolean
  /** NaN and ±Infinity are stored and read back as such (PostgreSQL floats); elsewhere they are refused. */
  nonFiniteNumbers: boolean
  /**
   * Repeated query shapes (a find by key) are sent as named prepared statements, parsed and
   * planned once per connection (PostgreSQL; SQLite and libSQL cache statements in the client).
   */
  namedStatements: boolean
}

/** The SQL types the schema builder picks where databases differ. */
export interface ColumnTypes {
  /** `t.json()`: `jsonb`, `json`, or `text` where there is no JSON type. */
  json: string
  /** `t.uuid()`: a native `uuid`, else `char(36)` or `text`. */
  uuid: string
}

/** Select expressions (with `?` placeholders) for a session-level advisory lock. */
export interface AdvisoryLockSql {
  /** Takes the lock without waiting; selects a truthy value when it was taken. */
  tryAcquire: string
  /** Releases the lock taken by `tryAcquire` on the same session. */
  release: string
  bindings: readonly string[]
}

/**
 * One database family: how to open it through knex, what it can do, and how its driver's errors
 * map onto Quarry's. A dialect holds every difference between databases.
 */
export interface Dialect {
  readonly name: DriverName
  readonly supports: DialectCapabilities
  /** The most bound parameters one statement may carry. */
  readonly maxBindings: number
  /** The knex configuration for one node (the primary or a replica) of a connection. */
  knexConfig(node: ResolvedNode, connection: ResolvedConnection): Knex.Config
  /**
   * The driver's error as a Quarry error, by the dialect's classification table: a constraint
   * error of §7, else a `QueryError` (never the driver's own class). `statement` is what failed.
   */
  translateError(error: unknown, statement?: FailedStatement): QuarryError
  /**
   * Adds what the driver's error did not tell (MariaDB: the table and columns of an index), by
   * querying the connection where `statement` failed.
   */
  completeError?(error: QuarryError, statement: FailedStatement, lookup: RowLookup): Promise<QuarryError>
  /**
   * Where the driver's client takes URLs of its own (libSQL's `file:`, `https://`, …): the URL
   * to hand it, or undefined when `url` is not one. Such URLs need `driver` in the config.
   */
  clientUrl?(url: string): string | undefined
  /**
   * A failure of a statement knex's own transaction code sent, which it must see as the driver
   * gave it: knex reads the driver's code, swallows the error and rejects with the one that
   * caused it (MySQL: `ROLLBACK TO SAVEPOINT` after a deadlock already rolled everything back).
   */
  leftToKnex?(error: unknown, sql: string): boolean
  /** Told of every statement that succeeded, where the dialect caches what DDL may change. */
  statementRan?(sql: string): void
  /** The error means the connection itself failed (refused, reset, terminated by the server). */
  isConnectionFailure(error: unknown): boolean
  /** The rows of a `knex.raw()` result, whatever shape the driver gives. */
  rawRows(result: unknown): Record<string, unknown>[]
  /** The column types behind the schema builder's `json()` and `uuid()`. */
  readonly columnTypes: ColumnTypes
  /** Lists the current database's own base tables: one row per table, in a `name` column. */
  readonly listTablesSql: string
  /** Where `supports.advisoryLocks`: the lock named `name`, scoped to the current database. */
  advisoryLock?(name: string): AdvisoryLockSql
}

/** Reads a string property off an unknown error value. */
export function errorField(error: unknown, key: string): string | undefined {
  if (error === null || typeof error !== 'object') return undefined
  const value = (error as Record<string, unknown>)[key]
  return value === undefined || value === null ? undefined : String(value)
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
])

/** Socket-level failures, the same words on every networked driver. */
export function isSocketFailure(error: unknown): boolean {
  const code = errorField(error, 'code')
  if (code && CONNECTION_CODES.has(code)) return true
  const message = errorField(error, 'message') ?? ''
  return /Connection terminated|connection is closed|not queryable|Cannot enqueue .* after fatal error|read ECONNRESET/i.test(message)
}

/** host, port, user, password and database of a node given by fields rather than a URL. */
export function networkSettings(node: ResolvedNode): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of ['host', 'port', 'user', 'password', 'database'] as const) {
    if (node[key] !== undefined) out[key] = node[key]
  }
  return out
}
