import mittModule, { type Emitter, type Handler } from 'mitt'
import { QuarryError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import { isModelEventName, MODEL_EVENTS, type ModelEventHandler, type ModelEventName } from './model-events.js'

// mitt's typings describe its CommonJS build; its ESM build's default export is the factory itself.
const mitt = mittModule as unknown as typeof mittModule.default

type Events = Record<ModelEventName, Model>

/**
 * Who listens to what: one mitt emitter per class (kept in a WeakMap, so a subclass never sees
 * its parent's registrations as its own and siblings never share). Emitting is not mitt's: the
 * bus walks `handlers()` itself to await each one and read a `false`.
 */
export class ListenerRegistry {
  private readonly emitters = new WeakMap<object, Emitter<Events>>()
  private readonly deferred = new WeakSet<ModelEventHandler>()
  private total = 0

  /** No listener at all, on any class: the fast path. */
  get empty(): boolean {
    return this.total === 0
  }

  /** Registers `handler` for `event` on `ctor`; resolves to its unsubscribe (idempotent). */
  add(ctor: object, event: ModelEventName, handler: ModelEventHandler, options: { afterCommit?: boolean } = {}): () => void {
    checkEvent(event)
    if (typeof handler !== 'function') {
      throw new QuarryError(`on('${event}', handler): the handler must be a function, got ${describe(handler)}`)
    }
    let emitter = this.emitters.get(ctor)
    if (!emitter) this.emitters.set(ctor, (emitter = mitt<Events>()))
    if (options.afterCommit) this.deferred.add(handler)
    emitter.on(event, handler as Handler<Model>)
    this.total++
    let active = true
    return () => {
      if (!active) return
      active = false
      this.remove(ctor, event, handler)
    }
  }

  /** Removes one registration of `handler`; `false` when it was not registered there. */
  remove(ctor: object, event: ModelEventName, handler: ModelEventHandler): boolean {
    checkEvent(event)
    const list = this.emitters.get(ctor)?.all.get(event) as ModelEventHandler[] | undefined
    if (!list?.includes(handler)) return false
    this.emitters.get(ctor)!.off(event, handler as Handler<Model>)
    this.total--
    return true
  }

  /** The handlers `event` runs for a model of class `ctor`, in order (a copy: safe to unsubscribe while firing). */
  handlers(ctor: object, event: ModelEventName): ModelEventHandler[] {
    let out: ModelEventHandler[] | undefined
    for (let c: object | null = ctor; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      const list = this.emitters.get(c)?.all.get(event) as ModelEventHandler[] | undefined
      if (list?.length) out = out ? out.concat(list) : list.slice()
    }
    return out ?? []
  }

  /**
   * Whether any of `events` has a handler for `ctor`'s models; with `immediate`, only handlers
   * that run at once count (not those an `afterCommit` observer defers).
   */
  has(ctor: object, events: readonly ModelEventName[], immediate = false): boolean {
    for (let c: object | null = ctor; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      const emitter = this.emitters.get(c)
      if (!emitter) continue
      for (const event of events) {
        const list = emitter.all.get(event) as ModelEventHandler[] | undefined
        if (list?.length && (!immediate || list.some((handler) => !this.deferred.has(handler)))) return true
      }
    }
    return false
  }

  /** Whether `handler` was registered by an `afterCommit` observer. */
  isDeferred(handler: ModelEventHandler): boolean {
    return this.deferred.has(handler)
  }
}

function checkEvent(event: unknown): asserts event is ModelEventName {
  if (!isModelEventName(event)) {
    throw new QuarryError(`Unknown model event ${describe(event)}; the events are: ${MODEL_EVENTS.join(', ')}`)
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : value === null ? 'null' : typeof value
}
