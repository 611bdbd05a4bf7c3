import knexFactory, { type Knex } from 'knex'
import { inspect } from 'node:util'
import { performance } from 'node:perf_hooks'
import type { Dialect } from '../dialects/dialect.js'
import { ConnectionError, QuarryError, SerializationFailureError } from '../errors/index.js'
import { SchemaInspector } from '../schema/schema-inspector.js'
import type { ResolvedConnection, ResolvedNode } from './config.js'
import { currentFrame, currentScope, runInFrame, type TransactionFrame } from './context.js'
import { type ClientHooks, isPlainRead, type QueryEvent } from './quarry-client.js'
import { Transaction, type TransactionOptions } from './transaction.js'

/** Open, used and waiting connections of one pool. `size` counts the open ones. */
export interface PoolStats {
  used: number
  free: number
  pending: number
  size: number
}

export interface NodeHealth {
  host: string
  ok: boolean
  latencyMs: number
  error?: string
}

export interface ConnectionHealth {
  ok: boolean
  latencyMs: number
  error?: string
  replicas?: NodeHealth[]
}

interface TarnPool {
  numUsed(): number
  numFree(): number
  numPendingAcquires(): number
  numPendingCreates(): number
}

type Row = Record<string, unknown>

/**
 * One named connection: a primary, its read replicas, and the pools for each. Queries made
 * through it join the transaction open in the current async context without being passed it.
 */
export class Connection {
  readonly name: string
  readonly dialect: Dialect
  /** The primary's knex instance (not bound to any transaction: the escape hatch). */
  readonly knex: Knex
  readonly readers: readonly Knex[]
  readonly config: ResolvedConnection
  private next = 0
  private closed = false
  /** Per replica: out of rotation until this time (0 = in rotation), and whether a probe runs. */
  private inspector: SchemaInspector | undefined
  private readonly replicaState: Array<{ downUntil: number; probing: boolean }>

  constructor(config: ResolvedConnection, dialect: Dialect, events: ClientHooks['events']) {
    this.name = config.name
    this.config = config
    this.dialect = dialect
    this.knex = this.open(config.write, 'write', events)
    this.readers = config.read.map((node) => this.open(node, 'read', events))
    this.replicaState = this.readers.map(() => ({ downUntil: 0, probing: false }))
  }

  private open(node: ResolvedNode, role: 'read' | 'write', events: ClientHooks['events']): Knex {
    const config = this.config
    const hooks: ClientHooks = {
      dialect: this.dialect,
      connection: config.name,
      role,
      host: node.label,
      driver: config.driver,
      poolMax: config.pool.max,
      acquireTimeoutMs: config.pool.acquireTimeoutMs,
      queryTimeoutMs: config.queryTimeoutMs,
      events,
    }
    if (role === 'write') {
      hooks.wrote = () => currentScope()?.wrote.add(this)
      if (config.read.length) {
        hooks.pickReader = (builder) => this.readerFor(builder)
        hooks.replicaFailed = (client) => this.takeOutOfRotation(this.readers.findIndex((r) => r.client === client))
      }
    }
    const base = this.dialect.knexConfig(node, config)
    const pool = { ...base.pool, idleTimeoutMillis: config.pool.idleTimeoutMs, propagateCreateError: true }
    return knexFactory({
      ...base,
      pool,
      acquireConnectionTimeout: config.pool.acquireTimeoutMs,
      // Error messages carry the SQL with placeholders, never the bound values.
      compileSqlOnError: false,
      log: { warn: quietWarning, error: quietWarning, deprecate: quietWarning, debug: () => {} },
      quarry: hooks,
    } as Knex.Config)
  }

  /** This connection's tables, columns, indexes and foreign keys: `connection.schema.getTables()`. */
  get schema(): SchemaInspector {
    return (this.inspector ??= new SchemaInspector(this))
  }

  /** A knex builder on `table`, inside the current transaction when one is open. */
  table<TRecord extends {} = Row>(table: string): Knex.QueryBuilder<TRecord, TRecord[]> {
    return this.current()<TRecord>(table) as Knex.QueryBuilder<TRecord, TRecord[]>
  }

  /** The knex to run on now: the open transaction of this async context, else the primary. */
  current(): Knex {
    return currentFrame(this)?.trx ?? this.knex
  }

  /** The transaction open on this connection in the current async context, if any. */
  currentTransaction(): Transaction | undefined {
    const frame = currentFrame(this)
    return frame && new Transaction(this, frame)
  }

  /**
   * Runs SQL with bound values (`?` placeholders, `??` for identifiers) and resolves to its rows:
   * `await db.raw('select * from users where id = ?', [1])`. Statements without a result set
   * resolve to `[]`.
   */
  async raw<T extends Row = Row>(sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
    const result = await this.current().raw(sql, bindings as Knex.RawBinding[])
    return this.dialect.rawRows(result) as T[]
  }

  /**
   * Runs `fn` in a transaction: commits when it resolves, rolls back and rethrows when it throws.
   * Inside, every query on this connection joins the transaction without being passed it; a
   * nested call opens a savepoint. With `retries`, a serialization failure re-runs `fn`.
   */
  async transaction<T>(fn: (trx: Transaction) => Promise<T> | T, options: TransactionOptions = {}): Promise<T> {
    if (typeof fn !== 'function') {
      throw new QuarryError(`transaction() needs a callback: db.transaction(async (trx) => { … }), got ${fn === undefined ? 'nothing' : typeof fn}`)
    }
    const parent = currentFrame(this)
    if (parent) return this.savepoint(parent, fn)
    const retries = options.retries ?? 0
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.outermost(fn, options)
      } catch (error) {
        if (!(error instanceof SerializationFailureError) || attempt >= retries) throw error
        await new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * 2 ** attempt) * Math.random()))
      }
    }
  }

  private async outermost<T>(fn: (trx: Transaction) => Promise<T> | T, options: TransactionOptions): Promise<T> {
    const config: Knex.TransactionConfig = {}
    if (options.isolationLevel && this.dialect.supports.isolationLevels) config.isolationLevel = options.isolationLevel
    if (options.readOnly && this.dialect.supports.isolationLevels) config.readOnly = true
    let frame: TransactionFrame | undefined
    const result = await this.knex.transaction(async (trx) => {
      frame = { connection: this, trx, parent: undefined, afterCommit: [] }
      return runInFrame(frame, () => fn(new Transaction(this, frame!)))
    }, config)
    currentScope()?.wrote.add(this)
    for (const callback of frame!.afterCommit) await callback()
    return result
  }

  private async savepoint<T>(parent: TransactionFrame, fn: (trx: Transaction) => Promise<T> | T): Promise<T> {
    let frame: TransactionFrame | undefined
    const result = await parent.trx.transaction(async (trx) => {
      frame = { connection: this, trx, parent, afterCommit: [] }
      return runInFrame(frame, () => fn(new Transaction(this, frame!)))
    })
    parent.afterCommit.push(...frame!.afterCommit)
    return result
  }

  /**
   * The replica for a plain read, round-robin over those in rotation; undefined sends the read to
   * the primary (a write, a lock, `onWriter()`, a sticky scope that wrote, or no replica up).
   */
  private readerFor(builder: unknown): Knex.Client | undefined {
    if (!isPlainRead(builder)) return undefined
    if (this.config.sticky && currentScope()?.wrote.has(this)) return undefined
    for (let tried = 0; tried < this.readers.length; tried++) {
      const index = this.next++ % this.readers.length
      if (this.inRotation(index)) return this.readers[index]!.client
    }
    return undefined
  }

  private inRotation(index: number): boolean {
    const state = this.replicaState[index]!
    if (state.downUntil === 0) return true
    if (Date.now() >= state.downUntil && !state.probing && !this.closed) {
      // Time to look again: a replica rejoins only once a ping passes.
      state.probing = true
      void this.probe(this.readers[index]!).then((health) => {
        state.probing = false
        if (health.ok) state.downUntil = 0
        else this.takeOutOfRotation(index)
      })
    }
    return false
  }

  private takeOutOfRotation(index: number): void {
    const state = this.replicaState[index]
    if (state) state.downUntil = Date.now() + this.config.replicaRecheckMs
  }

  /**
   * Pings the primary (throwing `ConnectionError` after the retries) and each replica; a replica
   * that does not answer starts out of rotation instead of failing the whole connection.
   */
  async ping(): Promise<void> {
    await Promise.all([
      this.pingNode(this.knex),
      ...this.readers.map(async (reader, index) => {
        if (!(await this.probe(reader)).ok) this.takeOutOfRotation(index)
      }),
    ])
  }

  private async pingNode(knex: Knex): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await knex.raw('select 1')
        return
      } catch (error) {
        if (!(error instanceof ConnectionError) || attempt >= this.config.connectRetries) {
          if (error instanceof ConnectionError && attempt > 0) {
            error.message += ` (after ${attempt + 1} attempts)`
          }
          throw error
        }
        await new Promise((resolve) => setTimeout(resolve, this.config.connectRetryDelayMs))
      }
    }
  }

  /** Pings the primary and each replica, timing each; never throws. */
  async healthCheck(): Promise<ConnectionHealth> {
    const [primary, ...replicas] = await Promise.all([this.knex, ...this.readers].map((knex) => this.probe(knex)))
    replicas.forEach((replica, index) => {
      if (replica.ok) this.replicaState[index]!.downUntil = 0
      else this.takeOutOfRotation(index)
    })
    const health: ConnectionHealth = { ok: primary!.ok, latencyMs: primary!.latencyMs }
    if (primary!.error !== undefined) health.error = primary!.error
    if (replicas.length) health.replicas = replicas
    return health
  }

  private async probe(knex: Knex): Promise<NodeHealth> {
    const host = (knex.client.config as { quarry: ClientHooks }).quarry.host
    const started = performance.now()
    try {
      await knex.raw('select 1')
      return { host, ok: true, latencyMs: performance.now() - started }
    } catch (error) {
      return { host, ok: false, latencyMs: performance.now() - started, error: (error as Error).message }
    }
  }

  stats(): { write: PoolStats; read?: PoolStats[] } {
    const out: { write: PoolStats; read?: PoolStats[] } = { write: poolStats(this.knex) }
    if (this.readers.length) out.read = this.readers.map(poolStats)
    return out
  }

  /** Closes every pool. Queries already running finish first. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.all([this.knex, ...this.readers].map((knex) => knex.destroy()))
  }

  [inspect.custom](): string {
    return `Connection { name: '${this.name}', driver: '${this.config.driver}', primary: '${this.config.write.label}'` +
      `${this.readers.length ? `, replicas: ${this.readers.length}` : ''} }`
  }

  toJSON(): object {
    return { name: this.name, driver: this.config.driver, primary: this.config.write.label, replicas: this.readers.length }
  }
}

function poolStats(knex: Knex): PoolStats {
  const pool = (knex.client as { pool?: TarnPool }).pool
  if (!pool) return { used: 0, free: 0, pending: 0, size: 0 }
  const used = pool.numUsed()
  const free = pool.numFree()
  return { used, free, pending: pool.numPendingAcquires(), size: used + free }
}


/** knex's own warnings (pool acquire failures, ignored isolation levels) surface as Quarry errors instead. */
function quietWarning(): void {}

export type { QueryEvent }
export { QuarryError }
