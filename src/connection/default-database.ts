import { QuarryError } from '../errors/index.js'
import type { Database } from './database.js'

let current: Database | undefined

/** Makes `db` the default for models unless another open one already is (or `force`). */
export function setDefaultDatabase(db: Database, force = false): void {
  if (force || !current) current = db
}

/** Forgets `db` as the default; called when it closes. */
export function forgetDefaultDatabase(db: Database): void {
  if (current === db) current = undefined
}

/** The database models use when none is bound to them; throws when `connect()` was never called. */
export function defaultDatabase(): Database {
  if (!current) {
    throw new QuarryError('No database connected; call `await connect()` before using a model')
  }
  return current
}
