import { QuarryError } from '../../errors/index.js'
import { fromSqliteInteger } from '../sqlite/sqlite-integers.js'
import { Buffer } from 'node:buffer'
import { createRequire } from 'node:module'
import type { Writable } from 'node:stream'

import { createClient } from '@libsql/client'
import type {
  Client as LibsqlClient,
  Config as LibsqlConfig,
  InValue,
  Row,
  Transaction as LibsqlTransaction,
  TransactionMode,
  Value,
} from '@libsql/client'
import type { Knex } from 'knex'
import { formatSqliteDateTime } from '../sqlite/sqlite-dates.js'
import { rowBuilder } from '../sqlite/sqlite-rows.js'

/** The `connection` settings accepted by {@link LibsqlKnexClient}. */
export interface LibsqlConnectionConfig {
  /** `file:path.db`, `:memory:` / `file::memory:`, or a remote `libsql:`, `http(s):` or `ws(s):` URL. */
  url: string
  authToken?: string
  /** Turns a `file:` URL into an embedded replica of this remote database. */
  syncUrl?: string
  /** Seconds between automatic syncs of an embedded replica. */
  syncInterval?: number
  encryptionKey?: string
  /** `PRAGMA busy_timeout` for local file databases, in milliseconds. Default 5000. */
  busyTimeoutMs?: number
}

/** Where a URL points: a local file, a private in-memory database, or a server. */
export type LibsqlUrlKind = 'file' | 'memory' | 'remote'

const DEFAULT_BUSY_TIMEOUT_MS = 5000

// knex ships no exports map, so its dialect internals can be required by path.
// The sqlite3 client brings every compiler (query, schema, column, table, view,
// the DDL helper for table rebuilds) and knex's SQLite transaction class; this
// file only replaces the parts that talk to the driver.
const require = createRequire(import.meta.url)
const KnexSqliteClient = require('knex/lib/dialects/sqlite3/index.js') as typeof Knex.Client

/** The fields of knex's query object that the driver layer reads or fills in. */
interface KnexQueryObject {
  sql: string
  bindings?: readonly unknown[] | null
  method?: string
  response?: unknown
  context?: { lastID: number | string; changes: number }
}

/** What better-sqlite3's `Statement.run()` returns, mirrored for non-row statements. */
export interface LibsqlRunResult {
  changes: number
  lastInsertRowid: number | string
}

/** The parts of a libsql `ResultSet` that are used here. */
interface StatementResult {
  columns: string[]
  rows: Row[]
  rowsAffected: number
  lastInsertRowid: bigint | undefined
}

const NO_RESULT: StatementResult = {
  columns: [],
  rows: [],
  rowsAffected: 0,
  lastInsertRowid: undefined,
}

const BEGIN_RE = /^\s*BEGIN(?:\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(?:\s+TRANSACTION)?(\s+READONLY)?\s*;?\s*$/i
const COMMIT_RE = /^\s*(?:COMMIT|END)(?:\s+TRANSACTION)?\s*;?\s*$/i
// A full rollback only; `ROLLBACK TO [SAVEPOINT] x` is an ordinary statement.
const ROLLBACK_RE = /^\s*ROLLBACK(?:\s+TRANSACTION)?\s*;?\s*$/i
const FOREIGN_KEYS_OFF_RE = /^\s*PRAGMA\s+(?:main\.)?foreign_keys\s*=\s*['"]?(?:OFF|0|FALSE|NO)['"]?\s*;?\s*$/i

const REMOTE_FOREIGN_KEYS_OFF_MESSAGE =
  'libsql: `PRAGMA foreign_keys = OFF` cannot take effect on a remote database, because each request ' +
  'outside a transaction may run on a different server connection. It is refused rather than ignored: ' +
  "knex's SQLite table rebuild (alter(), dropColumn(), dropForeign(), ...) relies on it, and with foreign " +
  'keys still enforced, dropping the old table would fire ON DELETE CASCADE / SET NULL on other tables.'

type TransactionControl =
  | { kind: 'begin'; mode: TransactionMode }
  | { kind: 'commit' }
  | { kind: 'rollback' }
  | { kind: 'statement' }

function classifyStatement(sql: string): TransactionControl {
  const begin = BEGIN_RE.exec(sql)
  if (begin) {
    const modifier = begin[1]?.toUpperCase()
    const mode: TransactionMode = begin[2] ? 'read' : modifier === 'DEFERRED' ? 'deferred' : 'write'
    return { kind: 'begin', mode }
  }
  if (COMMIT_RE.test(sql)) return { kind: 'commit' }
  if (ROLLBACK_RE.test(sql)) return { kind: 'rollback' }
  return { kind: 'statement' }
}

/** Classifies a libsql URL the way @libsql/client does (`:memory:` is shorthand for `file::memory:`). */
export function libsqlUrlKind(url: string): LibsqlUrlKind {
  if (url === ':memory:') return 'memory'
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase()
  if (scheme !== 'file') return 'remote'
  const path = url.slice('file:'.length)
  return path === ':memory:' || path.startsWith(':memory:?') ? 'memory' : 'file'
}

/**
 * One knex connection: a libsql client plus the transaction it may be in.
 *
 * libsql has no single session that a plain `BEGIN` could stick to: a remote
 * client sends each `execute()` as its own stateless request, and the local
 * client (0.18) borrows a pooled connection per call and rolls back anything a
 * call leaves open when it gives the connection back. So `BEGIN` opens a libsql
 * interactive transaction (`client.transaction()`), which owns one connection
 * (local) or one hrana stream (remote), and every statement up to `COMMIT` /
 * `ROLLBACK` - savepoints included - is routed through it.
 */
export class LibsqlKnexConnection {
  #transaction: LibsqlTransaction | null = null

  /**
   * libSQL leaves a statement that failed with SQLITE_BUSY or SQLITE_LOCKED mid-step instead of
   * resetting it, and a statement left so keeps its connection from ever committing again
   * ("cannot commit transaction - SQL statements in progress"). The only handle on it is the
   * connection, so a local connection that saw one is reopened (outside a transaction at once,
   * inside one once it ends). Reopening a local file and running a statement took 0.17 ms here.
   */
  #stale = false

  constructor(
    readonly client: LibsqlClient,
    readonly urlKind: LibsqlUrlKind,
  ) {}

  /** Whether a `BEGIN` has been seen and not yet ended by `COMMIT` / `ROLLBACK`. */
  get inTransaction(): boolean {
    return this.#transaction !== null
  }

  get closed(): boolean {
    return this.client.closed
  }

  async execute(sql: string, args: InValue[]): Promise<StatementResult> {
    try {
      return await this.#execute(sql, args)
    } catch (error) {
      await this.#afterFailure(error)
      throw error
    }
  }

  async #execute(sql: string, args: InValue[]): Promise<StatementResult> {
    const control = classifyStatement(sql)
    const transaction = this.#transaction

    if (transaction === null) {
      if (this.urlKind === 'remote' && FOREIGN_KEYS_OFF_RE.test(sql)) {
        throw new Error(REMOTE_FOREIGN_KEYS_OFF_MESSAGE)
      }
      if (control.kind === 'begin') {
        this.#transaction = await this.client.transaction(control.mode)
        return NO_RESULT
      }
      // Including a stray COMMIT / ROLLBACK: let SQLite report "no transaction is active".
      return this.client.execute({ sql, args })
    }

    switch (control.kind) {
      case 'commit':
        this.#transaction = null
        // On failure the transaction is closed anyway (its connection or
        // stream is released and rolled back), so there is nothing left to end.
        try {
          await transaction.commit()
        } finally {
          await this.#reopenIfStale()
        }
        return NO_RESULT
      case 'rollback':
        this.#transaction = null
        try {
          if (transaction.closed) {
            // SQLite already rolled back (e.g. after SQLITE_FULL); just release it.
            transaction.close()
          } else {
            await transaction.rollback()
          }
        } finally {
          await this.#reopenIfStale()
        }
        return NO_RESULT
      default:
        // A nested BEGIN goes here as well, so SQLite raises its usual error.
        return transaction.execute({ sql, args })
    }
  }

  async #afterFailure(error: unknown): Promise<void> {
    if (this.urlKind === 'remote') return
    const code = (error as { code?: unknown } | null)?.code
    if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') return
    this.#stale = true
    if (this.#transaction === null) await this.#reopenIfStale()
  }

  async #reopenIfStale(): Promise<void> {
    if (!this.#stale || this.client.closed) return
    this.#stale = false
    await this.client.reconnect()
  }

  /** Rolls back an open transaction and closes the client. */
  close(): void {
    const transaction = this.#transaction
    this.#transaction = null
    try {
      transaction?.close()
    } finally {
      this.client.close()
    }
  }
}

function readConnectionConfig(settings: unknown): LibsqlConnectionConfig {
  if (typeof settings !== 'object' || settings === null) {
    throw new TypeError('libsql: `connection` must be an object with a `url`')
  }
  const record = settings as Record<string, unknown>
  const { url, authToken, syncUrl, syncInterval, encryptionKey, busyTimeoutMs } = record
  if (typeof url !== 'string' || url === '') {
    throw new TypeError('libsql: `connection.url` must be a non-empty string')
  }
  const optionalString = (name: string, value: unknown): string | undefined => {
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value
    throw new TypeError(`libsql: \`connection.${name}\` must be a string`)
  }
  const optionalNumber = (name: string, value: unknown): number | undefined => {
    if (value === undefined || value === null) return undefined
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value
    throw new TypeError(`libsql: \`connection.${name}\` must be a non-negative integer`)
  }
  return {
    url,
    authToken: optionalString('authToken', authToken),
    syncUrl: optionalString('syncUrl', syncUrl),
    syncInterval: optionalNumber('syncInterval', syncInterval),
    encryptionKey: optionalString('encryptionKey', encryptionKey),
    busyTimeoutMs: optionalNumber('busyTimeoutMs', busyTimeoutMs),
  }
}

function toConnection(connection: unknown): LibsqlKnexConnection {
  if (connection instanceof LibsqlKnexConnection) return connection
  throw new Error('No connection provided')
}


/** libsql returns BLOBs as ArrayBuffer; better-sqlite3 (and so the ORM) expects Buffer. */
function fromDriverValue(value: Value): Value | Buffer {
  return value instanceof ArrayBuffer ? Buffer.from(value) : value
}

/** A value as Quarry reads it: integers as numbers where exact (strings beyond 2^53), BLOBs as Buffers. */
function fromLibsqlValue(raw: unknown): unknown {
  return typeof raw === 'bigint' ? fromSqliteInteger(raw) : fromDriverValue(raw as Value)
}

function toPlainRows(columns: readonly string[], rows: readonly Row[]): Record<string, unknown>[] {
  // By position, so a later duplicate column name wins as in better-sqlite3, and a column named
  // `length` is not shadowed by the Row's own `length`; built as one object literal per row.
  const build = rowBuilder(columns, 'property')
  const plain = new Array<Record<string, unknown>>(rows.length)
  for (let i = 0; i < rows.length; i++) plain[i] = build(rows[i]!, fromLibsqlValue)
  return plain
}

function toDriverValue(binding: unknown, index: number): InValue {
  // knex rejects undefined bindings itself when it compiles where clauses and raw
  // queries; the ones that still reach the driver come from multi-row inserts whose
  // rows lack a column (with `useNullAsDefault`), which better-sqlite3 binds as NULL.
  if (binding === null || binding === undefined) return null
  if (binding instanceof Date) return formatSqliteDateTime(binding)
  switch (typeof binding) {
    case 'boolean':
      return binding ? 1 : 0
    case 'string':
      if (binding.includes('\u0000')) {
        // @libsql/client stores U+0000 but its reader cuts the text there: refuse rather than lose data.
        throw new QuarryError(
          `Text containing U+0000 (NUL) at binding ${index} cannot be stored through libSQL: its client truncates ` +
            'such text when reading it back. Strip the NUL characters, or store the value in a binary column as a Buffer',
        )
      }
      return binding
    case 'number':
    case 'bigint':
      return binding
  }
  if (Buffer.isBuffer(binding)) return binding
  if (binding instanceof Uint8Array) return Buffer.from(binding.buffer, binding.byteOffset, binding.byteLength)
  if (binding instanceof ArrayBuffer) return Buffer.from(binding)
  throw new TypeError(
    `Unsupported binding at index ${index}: SQLite can only bind numbers, strings, bigints, booleans, Dates, buffers and null`,
  )
}

function waitForDrain(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done)
      stream.off('close', done)
      stream.off('error', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
    stream.on('error', done)
  })
}

/**
 * A knex client for libSQL through `@libsql/client`, built on knex's SQLite
 * client so every query, schema and DDL compiler is reused and the ORM can treat
 * it exactly like SQLite (`client.dialect === 'sqlite3'`; `driverName` is left
 * at `'sqlite3'` so knex helpers such as `knex.fn.uuid()` take the SQLite path).
 *
 * ```ts
 * knex({ client: LibsqlKnexClient, connection: { url: 'file:app.db' }, useNullAsDefault: true })
 * ```
 *
 * - Results have the shapes of knex's better-sqlite3 client: selects give plain
 *   objects, inserts `[lastInsertId]`, updates and deletes the affected row
 *   count, `.returning()` the returned rows. `knex.raw()` gives an array of plain
 *   row objects for any statement that returns rows, and otherwise
 *   `{ changes, lastInsertRowid }` like better-sqlite3's `run()`. Integers are read
 *   as bigint (`intMode: 'bigint'`) and given as numbers where exact, strings beyond
 *   2^53 (as Quarry's better-sqlite3 client and pg/mysql2 do). Text containing U+0000
 *   is refused: the client would truncate it on reading. BLOBs come back as
 *   Buffers. Bindings: `Date` becomes ISO-8601 UTC text (as on SQLite), booleans 0/1, an
 *   `undefined` that gets past knex's own checks NULL (as better-sqlite3 does for
 *   the rows of a multi-row insert that lack a column); other objects throw.
 * - Every new local connection runs `PRAGMA foreign_keys = ON` (libSQL's own
 *   default too); a local file also gets `PRAGMA busy_timeout` (`busyTimeoutMs`,
 *   default 5000) and `PRAGMA journal_mode = WAL`, except an embedded replica
 *   (`syncUrl`), which refuses both and takes the busy timeout as the client's
 *   `timeout` option. A local client is held to one underlying SQLite
 *   connection so those pragmas cover every statement. Remote URLs get no
 *   pragmas: each request may reach a fresh server connection, and
 *   libsql-server enforces foreign keys by default.
 * - Remote limits: `PRAGMA foreign_keys = OFF` outside a transaction is refused
 *   with an error, since it cannot hold across requests; so knex's SQLite table
 *   rebuilds (`.alter()`, `dropColumn()`, `dropForeign()`, ...) fail before
 *   changing anything instead of dropping a table with cascades live. Remote
 *   errors carry `code` but no `extendedCode`; and a statement that inserts no
 *   row reports rowid 0 (an ignored or merged insert gives `[0]`, a raw update
 *   `lastInsertRowid: 0`) where SQLite repeats the connection's previous rowid.
 * - The pool defaults to min 1 / max 1, as with knex's SQLite clients, so a
 *   `:memory:` database is a single database.
 * - Transactions: knex's `BEGIN` opens a libsql interactive transaction and the
 *   statements up to `COMMIT` / `ROLLBACK` (savepoints for nested knex
 *   transactions included) run inside it; see {@link LibsqlKnexConnection}. A
 *   plain `BEGIN` starts a write transaction (`BEGIN IMMEDIATE` locally), which
 *   takes the write lock up front instead of failing with SQLITE_BUSY when a
 *   read later turns into a write; `BEGIN DEFERRED` and libSQL's
 *   `BEGIN TRANSACTION READONLY` are honoured when sent verbatim. Isolation
 *   levels are ignored with a warning, as knex's SQLite client does.
 * - `.stream()` is not a server-side cursor: the query runs to completion and
 *   the rows are then written to the stream, honouring its back-pressure.
 * - Driver errors are passed through unchanged (`code` such as
 *   `SQLITE_CONSTRAINT`, `extendedCode` such as `SQLITE_CONSTRAINT_UNIQUE`,
 *   `rawCode`); knex prefixes the message with the SQL.
 */
export class LibsqlKnexClient extends KnexSqliteClient {
  constructor(config: Knex.Config) {
    super(withFilenameForKnex(config))
  }

  _driver(): { createClient: typeof createClient } {
    return { createClient }
  }

  override async acquireRawConnection(): Promise<LibsqlKnexConnection> {
    const settings = readConnectionConfig(this.connectionSettings)
    const urlKind = libsqlUrlKind(settings.url)
    const options: LibsqlConfig = {
      url: settings.url,
      intMode: 'bigint',
      // One SQLite connection per local client, so per-connection pragmas hold
      // for every statement (remote `concurrency` only limits parallel requests).
      ...(urlKind === 'remote' ? {} : { concurrency: 1 }),
    }
    // The busy timeout is also given to the client itself: @libsql/client drops a local
    // connection it cannot roll back cleanly and opens a fresh one, which a PRAGMA run here
    // would not reach, and libSQL's own default is 0 (fail at once with SQLITE_BUSY).
    if (urlKind === 'file') options.timeout = settings.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS
    if (settings.authToken !== undefined) options.authToken = settings.authToken
    if (settings.syncUrl !== undefined) options.syncUrl = settings.syncUrl
    if (settings.syncInterval !== undefined) options.syncInterval = settings.syncInterval
    if (settings.encryptionKey !== undefined) options.encryptionKey = settings.encryptionKey

    const driver = this._driver()
    const client = driver.createClient(options)
    try {
      if (urlKind !== 'remote') {
        await client.execute('PRAGMA foreign_keys = ON')
      }
      // An embedded replica (`syncUrl`) refuses both pragmas (Sqlite3UnsupportedStatement): its
      // busy timeout is the client's `timeout` option above, and its journal is libSQL's own.
      if (urlKind === 'file' && settings.syncUrl === undefined) {
        const busyTimeout = settings.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS
        await client.execute(`PRAGMA busy_timeout = ${busyTimeout}`)
        await client.execute('PRAGMA journal_mode = WAL')
      }
    } catch (error) {
      client.close()
      throw error
    }
    return new LibsqlKnexConnection(client, urlKind)
  }

  override async destroyRawConnection(connection: unknown): Promise<void> {
    toConnection(connection).close()
  }

  override async validateConnection(connection: unknown): Promise<boolean> {
    return connection instanceof LibsqlKnexConnection && !connection.closed
  }

  async _query(connection: unknown, obj: KnexQueryObject): Promise<KnexQueryObject> {
    if (!obj.sql) throw new Error('The query is empty')
    const conn = toConnection(connection)
    const result = await conn.execute(obj.sql, this._formatBindings(obj.bindings))

    if (result.columns.length > 0) {
      // The statement returns rows (a select, a pragma, or anything with RETURNING).
      obj.response = toPlainRows(result.columns, result.rows)
      return obj
    }
    const lastID = result.lastInsertRowid === undefined ? 0 : fromSqliteInteger(result.lastInsertRowid)
    const runResult: LibsqlRunResult = { changes: result.rowsAffected, lastInsertRowid: lastID }
    obj.response = runResult
    obj.context = { lastID, changes: result.rowsAffected }
    return obj
  }

  async _stream(connection: unknown, obj: KnexQueryObject, stream: Writable): Promise<void> {
    if (!obj.sql) throw new Error('The query is empty')
    const finished = new Promise<void>((resolve, reject) => {
      stream.once('error', reject)
      stream.once('end', resolve)
      stream.once('close', resolve)
    })
    try {
      const { response } = await this._query(connection, obj)
      if (!Array.isArray(response)) {
        throw new Error('stream() needs a statement that returns rows')
      }
      for (const row of response) {
        if (stream.destroyed) break
        if (!stream.write(row)) await waitForDrain(stream)
      }
      if (!stream.destroyed) stream.end()
    } catch (error) {
      stream.destroy(error instanceof Error ? error : new Error(String(error)))
    }
    return finished
  }

  _formatBindings(bindings: readonly unknown[] | null | undefined): InValue[] {
    return bindings ? bindings.map(toDriverValue) : []
  }
}

Object.assign(LibsqlKnexClient.prototype, {
  // Named in knex's "npm install ..." hint if the driver cannot be loaded.
  _packageName: '@libsql/client',
})

/**
 * knex's SQLite client warns when `connection.filename` is missing; a libsql
 * connection is named by its `url`, so pass that along as the filename.
 */
function withFilenameForKnex(config: Knex.Config): Knex.Config {
  const { connection } = config
  if (typeof connection !== 'object' || connection === null) return config
  const record = connection as Record<string, unknown>
  if (record['filename'] !== undefined || typeof record['url'] !== 'string') return config
  return { ...config, connection: { ...record, filename: record['url'] } as Knex.Config['connection'] }
}
