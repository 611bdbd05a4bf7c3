import { createRequire } from 'node:module'
import type { Knex } from 'knex'
import { QueryTimeoutError } from '../../errors/index.js'
import { errorField } from '../dialect.js'

const require = createRequire(import.meta.url)

interface PgQueryObject {
  sql: string
  bindings?: unknown[]
  options?: { name?: string }
  /** The statement's own bound: the connection's `queryTimeoutMs` or a builder's `.timeout()`. */
  timeout?: number | false
}

interface PgConnection {
  /** The key PostgreSQL (or the pooler in front of it) gave this session. */
  processID?: number
  /** The protocol connection, with pg's record of the named statements prepared on it. */
  connection?: { parsedStatements?: Record<string, string> }
  /** Set by Quarry when the key is not a server backend's pid: a pooler (PgBouncer) is in between. */
  __quarryPooled?: boolean
  /** On a direct connection: the session's `statement_timeout` as Quarry last set it. */
  __quarryTimeout?: number
}

type PgClientBase = new (config: Knex.Config) => Omit<Knex.Client, 'cancelQuery' | 'acquireRawConnection' | 'config'> & {
  transacting?: boolean
  config: Knex.Config & { quarry?: { queryTimeoutMs?: number } }
  _query(connection: PgConnection, obj: PgQueryObject): Promise<unknown>
  acquireRawConnection(): Promise<PgConnection>
  cancelQuery(connection: PgConnection): Promise<unknown>
}

const KnexPgClient: PgClientBase = require('knex/lib/dialects/postgres/index.js')

/** A plan PostgreSQL refuses to reuse once the columns of `select *` changed (SQLSTATE 0A000). */
function isStalePlan(error: unknown): boolean {
  return errorField(error, 'code') === '0A000' && /cached plan must not change result type/.test((error as Error)?.message ?? '')
}

/**
 * A named statement that met another session's: behind a transaction pooler (PgBouncer) the
 * server session changes between statements, so a name is "already exists" (42P05) on one
 * session and "does not exist" (26000) on another.
 */
function isLostStatement(error: unknown): boolean {
  const code = errorField(error, 'code')
  return code === '42P05' || code === '26000'
}

/** The server's own `statement_timeout` stopped the statement (57014, not a user's cancel). */
function isServerTimeout(error: unknown): boolean {
  return errorField(error, 'code') === '57014' && /statement timeout/.test((error as Error)?.message ?? '')
}

const TRANSACTION_CONTROL = /^\s*(begin|start transaction)\b/i

/**
 * knex's pg client with what Quarry adds for PostgreSQL:
 * - **Poolers.** A new session compares its key with `pg_backend_pid()`: behind a transaction
 *   pooler (PgBouncer) they differ, and named prepared statements (see `PreparedQuery`) are not
 *   used on that node, since each statement may land on another server session. A pooler that
 *   passes the key through is caught by its first 42P05/26000: that statement is sent again
 *   unnamed and the node stops naming statements. Nobody sees the error.
 * - **Server-side timeouts.** With `queryTimeoutMs` the server stops the statement itself:
 *   `statement_timeout` is set for the session on a direct connection, and behind a pooler (where
 *   a session setting would leak to other clients) `SET LOCAL` inside the transaction — a
 *   statement outside one runs in a short transaction of its own. The cancel by process id that
 *   knex sends would reach PgBouncer's key, not the backend, so it is not sent behind a pooler.
 * - **Stale plans.** A named statement prepared before a table's columns changed fails with
 *   "cached plan must not change result type"; outside a transaction it is deallocated and sent
 *   again, prepared afresh.
 */
export class PgKnexClient extends KnexPgClient {
  /** Set once this node is known to sit behind a pooler: statements are no longer named. */
  private unnamed = false

  private get timeoutMs(): number | undefined {
    return this.config.quarry?.queryTimeoutMs
  }

  override async acquireRawConnection(): Promise<PgConnection> {
    const connection = await super.acquireRawConnection()
    const result = (await super._query(connection, { sql: 'select pg_backend_pid() as pid', bindings: [] })) as {
      response?: { rows?: Array<{ pid: number }> }
    }
    const pid = result.response?.rows?.[0]?.pid
    connection.__quarryPooled = pid !== undefined && connection.processID !== undefined && Number(pid) !== connection.processID
    if (connection.__quarryPooled) this.unnamed = true
    else if (this.timeoutMs) await this.setSessionTimeout(connection, this.timeoutMs)
    return connection
  }

  /** Behind a pooler the process id is the pooler's: `statement_timeout` stops the statement. */
  override async cancelQuery(connection: PgConnection): Promise<unknown> {
    if (connection.__quarryPooled) return undefined
    return super.cancelQuery(connection)
  }

  override async _query(connection: PgConnection, obj: PgQueryObject): Promise<unknown> {
    if (obj.options?.name && (this.unnamed || connection.__quarryPooled)) obj = { ...obj, options: { ...obj.options, name: undefined } }
    const timeoutMs = connection.__quarryPooled ? obj.timeout || this.timeoutMs : undefined
    try {
      if (!timeoutMs) {
        // Directly, a statement outside a transaction with its own `.timeout()` sets the session's
        // bound to it first (a SET inside a transaction would be undone by a rollback).
        const own = obj.timeout || this.timeoutMs
        if (connection.__quarryTimeout !== undefined && own && own !== connection.__quarryTimeout && !this.transacting) {
          await this.setSessionTimeout(connection, own)
        }
        return await this.runNamed(connection, obj)
      }
      if (this.transacting) {
        const result = await super._query(connection, obj)
        if (TRANSACTION_CONTROL.test(obj.sql)) await super._query(connection, { sql: `set local statement_timeout = ${Math.floor(timeoutMs)}`, bindings: [] })
        return result
      }
      return await this.inShortTransaction(connection, obj, timeoutMs)
    } catch (error) {
      if (isServerTimeout(error)) throw new QueryTimeoutError(obj.timeout || this.timeoutMs || 0, obj.sql, { cause: error })
      throw error
    }
  }

  private async setSessionTimeout(connection: PgConnection, ms: number): Promise<void> {
    await super._query(connection, { sql: `set statement_timeout = ${Math.floor(ms)}`, bindings: [] })
    connection.__quarryTimeout = ms
  }

  private async inShortTransaction(connection: PgConnection, obj: PgQueryObject, timeoutMs: number): Promise<unknown> {
    await super._query(connection, { sql: `begin; set local statement_timeout = ${Math.floor(timeoutMs)}`, bindings: [] })
    let result: unknown
    try {
      result = await super._query(connection, obj)
    } catch (error) {
      await super._query(connection, { sql: 'rollback', bindings: [] }).catch(() => {})
      throw error
    }
    await super._query(connection, { sql: 'commit', bindings: [] })
    return result
  }

  /** Sends `obj`, recovering a named statement from a stale plan or a pooler. */
  private async runNamed(connection: PgConnection, obj: PgQueryObject): Promise<unknown> {
    try {
      return await super._query(connection, obj)
    } catch (error) {
      const name = obj.options?.name
      if (!name || this.transacting) throw error
      const parsed = connection.connection?.parsedStatements
      if (isLostStatement(error)) {
        this.unnamed = true
        if (parsed) delete parsed[name]
        return super._query(connection, { ...obj, options: { ...obj.options, name: undefined } })
      }
      if (!isStalePlan(error)) throw error
      if (parsed) delete parsed[name]
      await super._query(connection, { sql: `deallocate "${name}"`, bindings: [] })
      return super._query(connection, obj)
    }
  }
}
