import mittModule from 'mitt'
import type { Knex } from 'knex'
import { inspect } from 'node:util'
import { dialectFor } from '../dialects/registry.js'
import { QuarryError } from '../errors/index.js'
import type { SchemaInspector } from '../schema/schema-inspector.js'
import type { ResolvedConfig } from './config.js'
import { Connection, type ConnectionHealth, type PoolStats } from './connection.js'
import { runInScope } from './context.js'
import { forgetDefaultDatabase } from './default-database.js'
import type { QueryEvent } from './quarry-client.js'
import type { Transaction, TransactionOptions } from './transaction.js'

type Row = Record<string, unknown>

// mitt's typings describe its CommonJS build; its ESM build's default export is the factory itself.
const mitt = mittModule as unknown as typeof mittModule.default

/**
 * What `connect()` resolves to: every configured connection, the default one's shortcuts
 * (`raw`, `table`, `transaction`), units of work (`scope`), query events, health and pool stats.
 */
export class Database {
  readonly defaultConnection: string
  private readonly connections = new Map<string, Connection>()
  private readonly emitter = mitt<{ query: QueryEvent }>()
  private readonly events = { active: false, emit: (event: QueryEvent) => this.emitter.emit('query', event) }
  private closing: Promise<void> | undefined

  constructor(config: ResolvedConfig) {
    this.defaultConnection = config.default
    for (const connection of config.connections) {
      this.connections.set(connection.name, new Connection(connection, dialectFor(connection.driver), this.events))
    }
  }

  /** The named connection, or the default one. */
  connection(name: string = this.defaultConnection): Connection {
    const connection = this.connections.get(name)
    if (!connection) {
      throw new QuarryError(`No connection named "${name}"; configured: ${[...this.connections.keys()].join(', ')}`)
    }
    return connection
  }

  /** The names of every configured connection. */
  get connectionNames(): string[] {
    return [...this.connections.keys()]
  }

  /** The default connection's knex instance: the escape hatch, not bound to any transaction. */
  get knex(): Knex {
    return this.connection().knex
  }

  /** `await db.raw('select * from users where id = ?', [1])` → rows, on the default connection. */
  raw<T extends Row = Row>(sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
    return this.connection().raw<T>(sql, bindings)
  }

  /**
   * The default connection's tables, columns, indexes and foreign keys, read from the database's
   * catalog (`db.connection(name).schema` for another): `await db.schema.getColumns('users')`.
   */
  get schema(): SchemaInspector {
    return this.connection().schema
  }

  /** A knex builder over plain rows: `await db.table('users').where('id', 1).first()`. */
  table<TRecord extends {} = Row>(table: string): Knex.QueryBuilder<TRecord, TRecord[]> {
    return this.connection().table<TRecord>(table)
  }

  /**
   * A transaction on the default connection (`db.connection(name).transaction()` for another):
   * ```ts
   * await db.transaction(async () => {
   *   await db.table('accounts').where('id', 1).decrement('balance', 10)
   *   await db.table('accounts').where('id', 2).increment('balance', 10)
   * }, { isolationLevel: 'serializable', retries: 3 })
   * ```
   */
  transaction<T>(fn: (trx: Transaction) => Promise<T> | T, options?: TransactionOptions): Promise<T> {
    return this.connection().transaction(fn, options)
  }

  /**
   * Runs one unit of work (a web request, a job) in a fresh async context. With `sticky: true`,
   * reads after a write in the same scope go to the primary.
   * ```ts
   * app.use((req, res, next) => db.scope(() => next()))
   * ```
   */
  scope<T>(fn: () => Promise<T> | T): Promise<T> {
    return runInScope(async () => fn())
  }

  /** Subscribes to every statement sent; returns the unsubscribe function. */
  on(event: 'query', listener: (event: QueryEvent) => void): () => void {
    this.emitter.on(event, listener)
    this.events.active = true
    return () => this.off(event, listener)
  }

  off(event: 'query', listener: (event: QueryEvent) => void): void {
    this.emitter.off(event, listener)
    this.events.active = (this.emitter.all.get('query')?.length ?? 0) > 0
  }

  /** Pings every connection and replica; reports instead of throwing. */
  async healthCheck(): Promise<Record<string, ConnectionHealth>> {
    const entries = await Promise.all(
      [...this.connections].map(async ([name, connection]) => [name, await connection.healthCheck()] as const),
    )
    return Object.fromEntries(entries)
  }

  /** Pool usage of every connection, synchronously. */
  stats(): Record<string, { write: PoolStats; read?: PoolStats[] }> {
    return Object.fromEntries([...this.connections].map(([name, connection]) => [name, connection.stats()]))
  }

  /** Closes every pool; the process can exit afterwards. Calling it twice is harmless. */
  close(): Promise<void> {
    forgetDefaultDatabase(this)
    this.closing ??= Promise.all([...this.connections.values()].map((c) => c.close())).then(() => {
      this.emitter.all.clear()
      this.events.active = false
    })
    return this.closing
  }

  [inspect.custom](): string {
    return `Database { default: '${this.defaultConnection}', connections: [${this.connectionNames.map((n) => `'${n}'`).join(', ')}] }`
  }
}
