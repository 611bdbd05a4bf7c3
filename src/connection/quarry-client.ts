import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import type { Knex } from 'knex'
import type { Dialect } from '../dialects/dialect.js'
import { ConnectionError, QuarryError, QueryTimeoutError } from '../errors/index.js'
import { checkBindings } from './binding-check.js'
import type { FailedStatement } from '../dialects/error-table.js'

const require = createRequire(import.meta.url)

/** What `db.on('query', …)` receives for every statement sent. */
export interface QueryEvent {
  sql: string
  bindings: readonly unknown[]
  durationMs: number
  /** The name of the Quarry connection. */
  connection: string
  role: 'read' | 'write'
  /** `host:port` of the server, or the database file. */
  host?: string
  /** Set when the statement failed. */
  error?: Error
}

/** Per-node settings a Quarry knex client reads from its config. */
export interface ClientHooks {
  dialect: Dialect
  connection: string
  role: 'read' | 'write'
  host: string
  driver: string
  poolMax: number
  acquireTimeoutMs: number
  queryTimeoutMs: number | undefined
  /** Listeners of the owning database; `active` is false when nobody listens. */
  events: { active: boolean; emit(event: QueryEvent): void }
  /** Called after a statement that writes, so a sticky scope reads from the primary. */
  wrote?(): void
  /** For a plain read, the client of the replica to run it on; undefined keeps the primary. */
  pickReader?(builder: unknown): Knex.Client | undefined
  /** A replica failed at connection level: take it out of rotation. */
  replicaFailed?(client: Knex.Client, error: unknown): void
}

interface QueryObject {
  sql: string
  bindings?: unknown[]
  method?: string
  timeout?: number | false
  cancelOnTimeout?: boolean
}

type KnexClient = Knex.Client & { config: Knex.Config & { quarry: ClientHooks }; transacting?: boolean }
/** A knex client constructor, as knex's `client` option takes it. */
export type ClientClass = typeof Knex.Client

const READ_METHODS = new Set(['select', 'first', 'pluck', 'columnInfo'])

interface BuilderShape {
  _method?: string
  _single?: { lock?: unknown }
  _quarryWriter?: boolean
}

/**
 * A SELECT that takes no lock and was not pinned to the primary with `onWriter()`: safe to send
 * to a replica, and to send again after a lost connection.
 */
export function isPlainRead(builder: unknown): boolean {
  const b = builder as BuilderShape | undefined
  if (!b || !['select', 'first', 'pluck'].includes(b._method ?? '')) return false
  return !b._single?.lock && !b._quarryWriter
}
const READ_SQL = /^\s*(select|show|explain|pragma|describe|values)\b/i

/** Reads do not mark a sticky scope as written; anything else does. */
export function isWriteStatement(query: QueryObject): boolean {
  if (query.method && query.method !== 'raw') return !READ_METHODS.has(query.method)
  return !READ_SQL.test(query.sql) && !/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(query.sql)
}

/**
 * Turns a driver error into Quarry's: a lost connection is `ConnectionError`; anything else goes
 * through the dialect's classification table (constraint kinds, serialization failures, and
 * `QueryError` for the rest). No driver error leaves unwrapped.
 */
export function translateError(hooks: ClientHooks, error: unknown, statement?: FailedStatement): QuarryError {
  if (error instanceof QuarryError) return error
  if (hooks.dialect.isConnectionFailure(error)) {
    const reason = (error as { code?: string }).code ?? (error as Error).message
    return new ConnectionError(
      `Lost the connection "${hooks.connection}" to ${hooks.driver} at ${hooks.host} (${reason})`,
      { connection: hooks.connection, host: hooks.host, reason },
      { cause: error },
    )
  }
  return hooks.dialect.translateError(error, statement)
}

const RunnerBase: new (client: Knex.Client, builder: unknown) => {
  client: KnexClient
  builder: { _connection?: unknown } | undefined
  connection: unknown
  run(): Promise<unknown>
  ensureConnection(cb: unknown, params?: unknown): Promise<unknown>
  query(obj: QueryObject): Promise<unknown>
} = require('knex/lib/execution/runner.js')

/**
 * Routes plain reads to a replica (failing over to the next replica or the primary when one is
 * unreachable) and reports a statement timeout as `QueryTimeoutError`.
 */
class QuarryRunner extends RunnerBase {
  private primary: KnexClient | undefined
  private retried = false

  override async ensureConnection(cb: unknown, params?: unknown): Promise<unknown> {
    const hooks = this.client.config.quarry
    if (!this.connection && !this.builder?._connection && !this.client.transacting && hooks.pickReader) {
      const reader = hooks.pickReader(this.builder)
      if (reader) {
        this.primary = this.client
        this.client = reader as KnexClient
      }
    }
    return super.ensureConnection(cb, params)
  }

  /**
   * A plain read whose connection failed is safe to send again: on a replica it goes to the next
   * node; otherwise it is retried once on a fresh connection. Writes and anything inside a
   * transaction are never re-run: their failure reaches the caller.
   */
  override async run(): Promise<unknown> {
    try {
      return await super.run()
    } catch (caught) {
      // Whatever failed before or after the driver (knex compiling the builder, processing the
      // response) is a QuarryError too.
      const error = caught instanceof QuarryError ? caught : translateError(this.client.config.quarry, caught)
      if (!(error instanceof ConnectionError) || error.details.reason === 'pool timeout') throw error
      const primary = this.primary
      if (primary) {
        primary.config.quarry.replicaFailed?.(this.client, error)
        return new QuarryRunner(primary, this.builder).run()
      }
      if (this.retried || this.client.transacting || !isPlainRead(this.builder)) throw error
      const retry = new QuarryRunner(this.client, this.builder)
      retry.retried = true
      return retry.run()
    }
  }

  override async query(obj: QueryObject): Promise<unknown> {
    try {
      return await super.query(obj)
    } catch (error) {
      if ((error as Error)?.name === 'KnexTimeoutError' && obj.timeout) {
        throw new QueryTimeoutError(obj.timeout, obj.sql, { cause: error })
      }
      throw error
    }
  }
}

const subclasses = new WeakMap<ClientClass, ClientClass>()

/**
 * A dialect's knex client with Quarry's instrumentation: query events with their duration,
 * driver errors translated, pool and connection failures named, statement timeouts, and read
 * routing. Dialects pass their knex base client; everything here is dialect-agnostic.
 */
export function quarryClient(Base: ClientClass): ClientClass {
  const cached = subclasses.get(Base)
  if (cached) return cached
  const Subclass = class extends (Base as unknown as new (config: Knex.Config) => KnexClient) {
    override runner(builder: unknown) {
      return new QuarryRunner(this, builder)
    }

    override async query(connection: unknown, obj: QueryObject | string): Promise<unknown> {
      const hooks = this.config.quarry
      const query: QueryObject = typeof obj === 'string' ? { sql: obj } : obj
      checkBindings(hooks.dialect, query.bindings)
      // knex compiles builders with `timeout: false` unless `.timeout(ms)` was called: the
      // connection's bound applies to every statement that names none of its own.
      if (hooks.queryTimeoutMs && !query.timeout && hooks.dialect.supports.cancelQuery) {
        query.timeout = hooks.queryTimeoutMs
        query.cancelOnTimeout = true
      }
      const started = hooks.events.active ? performance.now() : 0
      try {
        const result = await (Base.prototype as unknown as KnexClient).query.call(this, connection, query)
        hooks.dialect.statementRan?.(query.sql)
        if (hooks.wrote && isWriteStatement(query)) hooks.wrote()
        if (hooks.events.active) this.report(query, started)
        return result
      } catch (error) {
        if (this.transacting && hooks.dialect.leftToKnex?.(error, query.sql)) throw error
        let translated = translateError(hooks, error, { sql: query.sql, bindings: query.bindings ?? [] })
        if (hooks.dialect.completeError && !(translated instanceof ConnectionError)) {
          translated = await this.completeError(connection, translated, query)
        }
        // A broken connection must not go back into the pool: knex's pool validation drops
        // connections carrying this flag, so the next query opens a fresh one.
        if (translated instanceof ConnectionError && connection && typeof connection === 'object') {
          ;(connection as { __knex__disposed?: unknown }).__knex__disposed ??= error
        }
        if (hooks.events.active) this.report(query, started, translated as Error)
        throw translated
      }
    }

    /**
     * Lets the dialect look up what the driver's error left out, on the connection the statement
     * failed on (no query event, no timeout); a lookup that fails keeps the error as it was.
     */
    async completeError(connection: unknown, error: QuarryError, query: QueryObject): Promise<QuarryError> {
      const dialect = this.config.quarry.dialect
      const lookup = async (sql: string, bindings: readonly unknown[]) => {
        const done = await (Base.prototype as unknown as KnexClient).query.call(this, connection, { sql, bindings: [...bindings], method: 'raw' })
        return dialect.rawRows((done as { response?: unknown }).response)
      }
      try {
        return await dialect.completeError!(error, { sql: query.sql, bindings: query.bindings ?? [] }, lookup)
      } catch {
        return error
      }
    }

    report(query: QueryObject, started: number, error?: Error): void {
      const hooks = this.config.quarry
      const event: QueryEvent = {
        sql: query.sql,
        bindings: query.bindings ?? [],
        durationMs: performance.now() - started,
        connection: hooks.connection,
        role: this.transacting ? 'write' : hooks.role,
        host: hooks.host,
      }
      if (error) event.error = error
      hooks.events.emit(event)
    }

    override async acquireConnection(): Promise<unknown> {
      try {
        return await (Base.prototype as unknown as KnexClient).acquireConnection.call(this)
      } catch (error) {
        throw this.acquireError(error)
      }
    }

    acquireError(error: unknown): unknown {
      if (error instanceof QuarryError) return error
      const hooks = this.config.quarry
      const where = `"${hooks.connection}" (${hooks.driver} at ${hooks.host})`
      if ((error as Error)?.name === 'KnexTimeoutError') {
        return new ConnectionError(
          `No free connection in the pool of ${where} after ${hooks.acquireTimeoutMs} ms (pool max ${hooks.poolMax}); ` +
            'raise pool.max or pool.acquireTimeoutMs, or look for work holding connections',
          { connection: hooks.connection, host: hooks.host, reason: 'pool timeout' },
          { cause: error },
        )
      }
      const translated = translateError(hooks, error)
      if (translated instanceof ConnectionError) return translated
      const reason = (error as { code?: string }).code ?? (error as Error)?.message ?? String(error)
      return new ConnectionError(`Could not connect to ${where}: ${reason}`, {
        connection: hooks.connection,
        host: hooks.host,
        reason,
      }, { cause: error })
    }
  }
  subclasses.set(Base, Subclass as unknown as ClientClass)
  return Subclass as unknown as ClientClass
}
