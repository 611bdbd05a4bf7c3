import { AsyncLocalStorage } from 'node:async_hooks'
import { QuarryError } from '../errors/index.js'

// The classes muted in the current async context. Only flows started inside withoutEvents() see
// them: a concurrent flow outside keeps its events.
const storage = new AsyncLocalStorage<ReadonlySet<object>>()

/**
 * Runs `fn` with the events of `ctor`'s models (and its subclasses') switched off: no listener,
 * no observer, no `retrieved`. `Model` itself mutes every model.
 *
 * ```ts
 * await withoutEvents(User, () => User.create({ email: 'import@x.io' }))
 * ```
 */
export async function withoutEvents<R>(ctor: object, fn: () => R | Promise<R>): Promise<R> {
  if (typeof fn !== 'function') throw new QuarryError(`withoutEvents() takes a function, got ${typeof fn}`)
  const current = storage.getStore()
  if (current?.has(ctor)) return fn()
  const muted = new Set(current)
  muted.add(ctor)
  return storage.run(muted, fn)
}

/** Whether events of `ctor`'s models are switched off here. */
export function isMuted(ctor: object): boolean {
  const muted = storage.getStore()
  if (!muted) return false
  for (let c: object | null = ctor; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (muted.has(c)) return true
  }
  return false
}
