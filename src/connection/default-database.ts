import { QuarryError } from '../errors/index.js'
import type { Database } from './database.js'

/**
 * The default database lives on a process-wide symbol rather than in this module, so that every
 * loaded copy of Quarry sees the same one: the CLI's own copy and the `'quarry'` a project's
 * seeders and models import may be two module instances (a linked checkout runs its CLI from
 * source while `'quarry'` resolves to the build), and a connection opened by one must serve the
 * models of the other.
 */
const KEY = Symbol.for('quarry.default-database')

interface Holder {
  current: Database | undefined
}

function holder(): Holder {
  const global = globalThis as typeof globalThis & { [KEY]?: Holder }
  return (global[KEY] ??= { current: undefined })
}

/** Makes `db` the default for models unless another open one already is (or `force`). */
export function setDefaultDatabase(db: Database, force = false): void {
  const shared = holder()
  if (force || !shared.current) shared.current = db
}

/** Forgets `db` as the default; called when it closes. */
export function forgetDefaultDatabase(db: Database): void {
  const shared = holder()
  if (shared.current === db) shared.current = undefined
}

/** The database models use when none is bound to them; throws when `connect()` was never called. */
export function defaultDatabase(): Database {
  const current = holder().current
  if (!current) {
    throw new QuarryError('No database connected; call `await connect()` before using a model')
  }
  return current
}
