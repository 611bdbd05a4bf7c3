import { AsyncLocalStorage } from 'node:async_hooks'
import type { Knex } from 'knex'

/** One open transaction (or savepoint) on one connection. */
export interface TransactionFrame {
  readonly connection: object
  readonly trx: Knex.Transaction
  readonly parent: TransactionFrame | undefined
  /** Run after the outermost commit; dropped when this frame or an outer one rolls back. */
  readonly afterCommit: Array<() => unknown>
}

/** A unit of work opened by `db.scope()`: which connections it has written to (sticky reads). */
export interface ScopeState {
  readonly wrote: Set<object>
}

interface Store {
  readonly frames: ReadonlyMap<object, TransactionFrame>
  readonly scope: ScopeState | undefined
}

const storage = new AsyncLocalStorage<Store>()
const EMPTY: Store = { frames: new Map(), scope: undefined }

/** The transaction open on `connection` in the current async context, if any. */
export function currentFrame(connection: object): TransactionFrame | undefined {
  return storage.getStore()?.frames.get(connection)
}

/** The unit of work the current async context belongs to, if any. */
export function currentScope(): ScopeState | undefined {
  return storage.getStore()?.scope
}

/** Runs `fn` with `frame` as the open transaction of its connection. */
export function runInFrame<T>(frame: TransactionFrame, fn: () => T): T {
  const store = storage.getStore() ?? EMPTY
  const frames = new Map(store.frames)
  frames.set(frame.connection, frame)
  return storage.run({ frames, scope: store.scope }, fn)
}

/** Runs `fn` in a fresh unit of work: no open transactions, nothing written yet. */
export function runInScope<T>(fn: () => T): T {
  return storage.run({ frames: new Map(), scope: { wrote: new Set() } }, fn)
}
