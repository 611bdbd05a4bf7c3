import type { Knex } from 'knex'
import type { QuarryError } from '../errors/index.js'
import type { ResolvedConnection, ResolvedNode } from '../connection/config.js'

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
  /** The driver's error as a Quarry error, or `undefined` when it is none of the known kinds. */
  translateError(error: unknown): QuarryError | undefined
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
  /**
   * Without `supports.returning`: when the server hands out auto-increment keys to a multi-row
   * INSERT consecutively, in row order, a function reading them from the INSERT's raw result
   * (`count` rows); `undefined` when it does not (the caller then inserts row by row).
   */
  consecutiveInsertKeys?(knex: Knex): Promise<InsertedKeys | undefined>
}

/** The keys a multi-row INSERT assigned, in row order, from its raw result. */
export type InsertedKeys = (result: unknown, count: number) => unknown[]

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
