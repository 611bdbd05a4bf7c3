import type { Connection } from '../connection/connection.js'
import { type LifecycleHooks, type LifecycleStep, setLifecycleHooks } from '../model/lifecycle.js'
import type { Model } from '../model/model.js'
import { ModelAdapter } from '../model/model-adapter.js'
import { ListenerRegistry } from './listener-registry.js'
import { type ModelEventHandler, type ModelEventName, STEP_EVENTS, WRITTEN_BY_STEP } from './model-events.js'
import { captureState, restoreState } from './model-state.js'
import { isMuted } from './without-events.js'

/** Every listener and observer of every model class. */
export const listeners = new ListenerRegistry()

// The transactions the bus opened around a step, by knex transaction, with the model they are for:
// the steps nested in it (save's create, restore's save) run inside it rather than opening another.
const ownSteps = new WeakMap<object, Model>()

function connectionOf(model: Model): Connection {
  return ModelAdapter.connection(model.$meta)
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function'
}

/**
 * Runs `event`'s handlers for `model` in order, awaiting each: the model's own class first, then
 * its model superclasses, `Model`'s (global) handlers last. A deferred (`afterCommit`) handler
 * inside a transaction is queued on it instead. Resolves to `false` when a handler of a
 * cancellable event returned `false` (the handlers after it do not run).
 */
async function fire(event: ModelEventName, model: Model, cancellable: boolean): Promise<boolean> {
  for (const handler of listeners.handlers(model.constructor, event)) {
    if (listeners.isDeferred(handler)) {
      const transaction = connectionOf(model).currentTransaction()
      if (transaction) {
        transaction.afterCommit(() => handler(model))
        continue
      }
    }
    let result = handler(model)
    if (isThenable(result)) result = await result
    if (cancellable && result === false) return false
  }
  return true
}

/** `-ing` event, the write, `-ed` event. */
async function fireStep(step: LifecycleStep, model: Model, action: () => Promise<boolean>): Promise<boolean> {
  const [before, after] = STEP_EVENTS[step]
  if (!(await fire(before, model, true))) return false
  if (!(await action())) return false
  await fire(after, model, false)
  return true
}

/**
 * Runs a step whose `-ed` listeners run after its write inside a transaction (a savepoint when
 * one is open), so a listener that throws undoes the write; the model's own state (attributes,
 * key, `$isPersisted`) is put back as it was too, so a retry behaves as the first attempt.
 */
async function inStepTransaction(connection: Connection, model: Model, run: () => Promise<boolean>): Promise<boolean> {
  const before = captureState(model)
  let committed = false
  try {
    return await connection.transaction((transaction) => {
      ownSteps.set(transaction.knex, model)
      // Queued first, so it runs first: errors after it come from after-commit handlers.
      transaction.afterCommit(() => {
        committed = true
      })
      return run()
    })
  } catch (error) {
    if (!committed) restoreState(model, before)
    throw error
  }
}

/** Sync handlers run in a plain loop; the first promise switches the rest of the batch to awaiting. */
async function retrievedFrom(models: readonly Model[], handlers: ModelEventHandler[], i: number, j: number, pending: PromiseLike<unknown>): Promise<void> {
  await pending
  for (; i < models.length; i++, j = 0) {
    for (; j < handlers.length; j++) await handlers[j]!(models[i]!)
  }
}

/**
 * Whether a write of a `ctor` model would fire a handler for any of `events` here (a listener or
 * an observer method, deferred ones included; none while `withoutEvents` mutes the class). Lets a
 * caller that writes many models (factories) take a batched path when nothing would run.
 *
 * ```ts
 * listensTo(User, ['creating', 'created', 'saving', 'saved'])   // false: nobody listens
 * ```
 */
export function listensTo(ctor: object, events: readonly ModelEventName[]): boolean {
  return !listeners.empty && !isMuted(ctor) && listeners.has(ctor, events)
}

/** The lifecycle hooks the events module installs (exported so a test can put them back). */
export const eventHooks: LifecycleHooks = {
  run(step, model, action) {
    if (listeners.empty) return action()
    const ctor = model.constructor
    if (isMuted(ctor)) return action()
    if (listeners.has(ctor, WRITTEN_BY_STEP[step], true)) {
      const connection = connectionOf(model)
      const open = connection.currentTransaction()
      if (!open || ownSteps.get(open.knex) !== model) {
        return inStepTransaction(connection, model, () => fireStep(step, model, action))
      }
    }
    return fireStep(step, model, action)
  },

  retrieved(models) {
    const handlers = listeners.handlers(models[0]!.constructor, 'retrieved')
    for (let i = 0; i < models.length; i++) {
      for (let j = 0; j < handlers.length; j++) {
        const result = handlers[j]!(models[i]!)
        if (isThenable(result)) return retrievedFrom(models, handlers, j + 1 < handlers.length ? i : i + 1, (j + 1) % handlers.length, result)
      }
    }
  },

  wantsRetrieved(ctor) {
    return !listeners.empty && listeners.has(ctor, ['retrieved']) && !isMuted(ctor)
  },
}

setLifecycleHooks(eventHooks)
