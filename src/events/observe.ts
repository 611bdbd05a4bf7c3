import { QuarryError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import { listeners } from './event-bus.js'
import { isWrittenEvent, MODEL_EVENTS, type ModelEventHandler, type ModelEventName, type ModelObserver } from './model-events.js'

/** An observer object, or a class constructed once without arguments. */
export type ObserverInput<M extends Model> = ModelObserver<M> | (new () => ModelObserver<M>)

/**
 * Registers each method of `observer` named after an event as a listener on `ctor` (in the
 * order of `MODEL_EVENTS`), called with the observer as `this`. With `afterCommit = true`, its
 * `-ed` methods wait for the outermost commit. Resolves to an unsubscribe for all of them.
 *
 * ```ts
 * const stop = observe(User, new UserObserver())
 * stop()
 * ```
 */
export function observe(ctor: object, observer: ObserverInput<Model>): () => void {
  const instance = instantiate(observer)
  const methods: Array<[ModelEventName, (this: unknown, model: Model) => unknown]> = []
  for (const event of MODEL_EVENTS) {
    const method: unknown = (instance as Record<string, unknown>)[event]
    if (method === undefined) continue
    if (typeof method !== 'function') {
      throw new QuarryError(`observe(): the observer's "${event}" must be a method, got ${method === null ? 'null' : typeof method}`)
    }
    methods.push([event, method as (this: unknown, model: Model) => unknown])
  }
  if (!methods.length) {
    throw new QuarryError(`observe(): the observer has no method named after a model event (${MODEL_EVENTS.join(', ')})`)
  }
  const afterCommit = instance.afterCommit === true
  const offs = methods.map(([event, method]) => {
    const handler: ModelEventHandler = (model) => method.call(instance, model)
    // Named after the observer, so that `quarry model:show` can say who listens.
    const owner = instance.constructor && instance.constructor !== Object ? instance.constructor.name : 'observer'
    Object.defineProperty(handler, 'name', { value: `${owner}.${event}` })
    return listeners.add(ctor, event, handler, { afterCommit: afterCommit && isWrittenEvent(event) })
  })
  return () => {
    for (const off of offs) off()
  }
}

function instantiate(observer: ObserverInput<Model>): ModelObserver<Model> {
  if (typeof observer === 'function') {
    if (!observer.prototype) throw new QuarryError('observe() takes an observer object or class, got a plain function')
    return new observer()
  }
  if (observer === null || typeof observer !== 'object') {
    throw new QuarryError(`observe() takes an observer object or class, got ${observer === null ? 'null' : typeof observer}`)
  }
  return observer
}
