import type { Knex } from 'knex'
import type { QuarryError } from '../errors/index.js'
import type { ResolvedConnection, ResolvedNode } from '../connection/config.js'
import type { FailedStatement } from './error-table.js'
import type { InsertedRow } from './insert-returning.js'

/** Runs a query on the connection where a statement failed and resolves to its rows. */
export type RowLookup = (sql: string, bindings: readonly unknown[]) => Promise<Record<string, unknown>[]>
import type { DateStorage } from './date-storage.js'

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
  /** How points in time are bound and which stored forms read back as dates. */
  readonly dates: DateStorage
  /** Lists the current database's own base tables: one row per table, in a `name` column. */
  readonly listTablesSql: string
  /**
   * Inserts one row into `table` and reads back what the database stored in `columns` (defaults,
   * generated values, the auto-increment `key`) in the same statement, where the server returns
   * rows from an INSERT (PostgreSQL, CockroachDB, SQLite, libSQL, MariaDB ≥ 10.5). Elsewhere only
   * `key` comes back (`readBack: false`). With no columns asked, a plain INSERT.
   */
  insertRow(knex: Knex, table: string, row: Record<string, unknown>, columns: readonly string[], key: string | undefined): Promise<InsertedRow>
  /**
   * What follows an `INSERT … VALUES …` so that a row colliding with an existing one on a unique
   * index (or primary key) is skipped rather than an error; every other failure (a foreign key,
   * a NOT NULL) still raises. `column` is one of the inserted columns, for databases that can
   * only express it as an update of the existing row to itself.
   */
  ignoreDuplicates(column: string): { sql: string; bindings: string[] }
  /** Where `supports.advisoryLocks`: the lock named `name`, scoped to the current database. */
  advisoryLock?(name: string): AdvisoryLockSql
  /** Reads tables, columns, indexes and foreign keys from the database's own catalog. */
  readonly catalog: Catalog
  /** How a multi-statement SQL file (an `.up.sql` migration) is split into statements and sent. */
  readonly script: ScriptSyntax
  /**
   * Without `supports.returning`: when the server hands out auto-increment keys to a multi-row
   * INSERT consecutively, in row order, a function reading them from the INSERT's raw result
   * (`count` rows); `undefined` when it does not (the caller then inserts row by row).
   */
  consecutiveInsertKeys?(knex: Knex): Promise<InsertedKeys | undefined>
}

/** The lexical rules of a database's SQL that decide where one statement of a script ends. */
export interface ScriptSyntax {
  /** `$$ … $$` and `$tag$ … $tag$` bodies (PostgreSQL). */
  dollarQuotes: boolean
  /** A backslash escapes the next character inside quotes (MySQL, MariaDB). */
  backslashEscapes: boolean
  /** `` `name` `` quotes an identifier. */
  backtickIdentifiers: boolean
  /** `[name]` quotes an identifier (SQLite). */
  bracketIdentifiers: boolean
  /** `/* /* … *\/ *\/` nests (PostgreSQL). */
  nestedComments: boolean
  /** The mysql client's `DELIMITER //` line changes what ends a statement. */
  delimiterCommand: boolean
  /** `CREATE TRIGGER … BEGIN …; …; END;` is one statement (SQLite). */
  triggerBodies: boolean
  /** The driver's knex client turns a bare `?` into a positional parameter, so it is sent as `\?`. */
  escapeQuestionMarks: boolean
}

/**
 * The types `getColumns()` reports, the same on every database (and the `type` a model column may
 * declare, §13); `other` is a type none of these names (its `databaseType` says what it is).
 */
export type NormalizedType =
  | 'string' | 'text' | 'integer' | 'bigInteger' | 'float' | 'double' | 'decimal' | 'boolean'
  | 'date' | 'dateTime' | 'time' | 'json' | 'uuid' | 'binary' | 'enum' | 'other'

/** What a foreign key does when the row it references is deleted or its key changes. */
export type ForeignKeyAction = 'CASCADE' | 'SET NULL' | 'SET DEFAULT' | 'RESTRICT' | 'NO ACTION'

export interface TableInfo {
  name: string
}

export interface ColumnInfo {
  name: string
  /** The normalised type. */
  type: NormalizedType
  /** The type as the database writes it: `character varying(120)`, `tinyint(1)`, `TEXT`. */
  databaseType: string
  nullable: boolean
  /** The default as the database reports it (an SQL expression: `'draft'`, `0`, `CURRENT_TIMESTAMP`), or null. */
  default: string | null
  /** Part of the primary key. */
  primary: boolean
  /** The database assigns it (serial, identity, AUTO_INCREMENT, SQLite's rowid alias). */
  autoIncrement: boolean
  /** The length of a string or binary column (`varchar(120)` → 120), else null. */
  length: number | null
  /** Digits of a decimal, or fractional-second digits of a date-time, where declared; else null. */
  precision: number | null
  /** Digits after the point of a decimal, where declared; else null. */
  scale: number | null
}

export interface IndexInfo {
  name: string
  /** In index order; an expression is given as its SQL. */
  columns: string[]
  unique: boolean
  primary: boolean
}

export interface ForeignKeyInfo {
  name: string
  columns: string[]
  foreignTable: string
  foreignColumns: string[]
  onDelete: ForeignKeyAction
  onUpdate: ForeignKeyAction
}

/** Runs one catalog query (`?` placeholders, `??` for identifiers) and resolves to its rows. */
export type CatalogQuery = (sql: string, bindings?: readonly unknown[]) => Promise<Record<string, unknown>[]>

/**
 * One database's catalog queries, in its own folder (`src/dialects/<name>/<name>-catalog.ts`).
 * Everything is read from the current database (PostgreSQL: the current schema); names come back
 * sorted, the primary key first among indexes.
 */
export interface Catalog {
  tables(query: CatalogQuery): Promise<TableInfo[]>
  /** The views of the current database. */
  views(query: CatalogQuery): Promise<string[]>
  /** Types created in the database that outlive their tables (PostgreSQL enums, domains, composites). */
  types(query: CatalogQuery): Promise<string[]>
  columns(query: CatalogQuery, table: string): Promise<ColumnInfo[]>
  indexes(query: CatalogQuery, table: string): Promise<IndexInfo[]>
  foreignKeys(query: CatalogQuery, table: string): Promise<ForeignKeyInfo[]>
  /** Drops one type from `types()` (`??` is its name); absent where there are none. */
  readonly dropTypeSql?: string
}

/** `varchar(120)` → 120 as the length of a string; `numeric(10,2)` → precision 10, scale 2. */
export function sizeOf(type: NormalizedType, databaseType: string): Pick<ColumnInfo, 'length' | 'precision' | 'scale'> {
  const match = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(databaseType)
  const first = match ? Number(match[1]) : null
  const second = match?.[2] !== undefined ? Number(match[2]) : null
  if (type === 'string' || type === 'binary') return { length: first, precision: null, scale: null }
  if (type === 'decimal') return { length: null, precision: first, scale: second }
  if (type === 'dateTime' || type === 'time') return { length: null, precision: first, scale: null }
  return { length: null, precision: null, scale: null }
}

/** Sorts indexes as every catalog reports them: the primary key first, then by name. */
export function sortIndexes(indexes: IndexInfo[]): IndexInfo[] {
  return indexes.sort((a, b) => Number(b.primary) - Number(a.primary) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** `cascade`, `SET NULL` → the action in capitals; anything unknown reads as `NO ACTION`. */
export function foreignKeyAction(text: unknown): ForeignKeyAction {
  const upper = String(text ?? '').trim().toUpperCase()
  return (['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION'] as const).find((a) => a === upper) ?? 'NO ACTION'
}

/** Catalog rows of one object per position (`position` ascending) grouped by `key`, in first-seen order. */
export function groupBy<R extends Record<string, unknown>>(rows: R[], key: (row: R) => string): R[][] {
  const groups = new Map<string, R[]>()
  for (const row of rows) {
    const k = key(row)
    const list = groups.get(k)
    if (list) list.push(row)
    else groups.set(k, [row])
  }
  return [...groups.values()]
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
