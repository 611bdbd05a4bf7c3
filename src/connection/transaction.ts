import type { Knex } from 'knex'
import type { Connection } from './connection.js'
import type { TransactionFrame } from './context.js'

export interface TransactionOptions {
  isolationLevel?: 'read uncommitted' | 'read committed' | 'repeatable read' | 'snapshot' | 'serializable'
  readOnly?: boolean
  /** Re-run the callback this many times when it fails with a serialization failure (SQLSTATE 40001). */
  retries?: number
}

type Row = Record<string, unknown>

/**
 * The handle a transaction callback receives. Most code never needs it: queries inside the
 * callback join the transaction on their own. It offers the same `table`/`raw` as the connection,
 * the knex transaction itself, and `afterCommit` hooks.
 */
export class Transaction {
  constructor(
    readonly connection: Connection,
    private readonly frame: TransactionFrame,
  ) {}

  /** The knex transaction, for code that takes one explicitly. */
  get knex(): Knex.Transaction {
    return this.frame.trx
  }

  /** True inside a savepoint (a nested `transaction()`). */
  get isNested(): boolean {
    return this.frame.parent !== undefined
  }

  table<TRecord extends {} = Row>(table: string): Knex.QueryBuilder<TRecord, TRecord[]> {
    return this.frame.trx<TRecord>(table) as Knex.QueryBuilder<TRecord, TRecord[]>
  }

  async raw<T extends Row = Row>(sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
    const result = await this.frame.trx.raw(sql, bindings as Knex.RawBinding[])
    return this.connection.dialect.rawRows(result) as T[]
  }

  transaction<T>(fn: (trx: Transaction) => Promise<T> | T): Promise<T> {
    return this.connection.transaction(fn)
  }

  /**
   * Runs `callback` once the outermost transaction commits; never if it, or the savepoint this
   * was registered in, rolls back.
   */
  afterCommit(callback: () => unknown): void {
    this.frame.afterCommit.push(callback)
  }
}
