import type { LifecycleStep } from '../model/lifecycle.js'
import type { Model } from '../model/model.js'

/** Every model event, in the order a model meets them. */
export const MODEL_EVENTS = [
  'retrieved',
  'saving',
  'creating',
  'created',
  'updating',
  'updated',
  'saved',
  'deleting',
  'deleted',
  'restoring',
  'restored',
  'forceDeleting',
  'forceDeleted',
] as const

/** The name of a model event: `'creating'`, `'saved'`, … (a misspelt name does not compile). */
export type ModelEventName = (typeof MODEL_EVENTS)[number]

/** The events fired before a write; a handler returning `false` cancels the write. */
export type CancellableEventName = 'saving' | 'creating' | 'updating' | 'deleting' | 'restoring' | 'forceDeleting'

/** The events fired after a write (the ones an `afterCommit` observer defers). */
export type WrittenEventName = 'created' | 'updated' | 'saved' | 'deleted' | 'restored' | 'forceDeleted'

/**
 * A listener for one event. It receives the model (typed as the class it was registered on) and
 * may be async; it is awaited. Returning `false` from a `-ing` listener cancels the operation.
 *
 * ```ts
 * const lower: ModelEventHandler<User> = (user) => { user.email = user.email.toLowerCase() }
 * User.on('creating', lower)
 * ```
 */
export type ModelEventHandler<M extends Model = Model> = (model: M) => unknown

/**
 * An observer: methods named after events, each a listener. With `afterCommit = true`, its
 * `-ed` methods run after the outermost transaction commits (never after a rollback).
 *
 * ```ts
 * class UserObserver implements ModelObserver<User> {
 *   afterCommit = true
 *   created(user: User) { mailer.welcome(user.email) }
 * }
 * ```
 */
export type ModelObserver<M extends Model = Model> = {
  [E in ModelEventName]?: ModelEventHandler<M>
} & { afterCommit?: boolean }

/** The `-ing` and `-ed` event of each lifecycle step. */
export const STEP_EVENTS: Readonly<Record<LifecycleStep, readonly [CancellableEventName, WrittenEventName]>> = {
  save: ['saving', 'saved'],
  create: ['creating', 'created'],
  update: ['updating', 'updated'],
  delete: ['deleting', 'deleted'],
  restore: ['restoring', 'restored'],
  forceDelete: ['forceDeleting', 'forceDeleted'],
}

/**
 * The `-ed` events a step can fire, its nested steps included (`save` wraps `create`/`update`,
 * `restore` wraps a save, `forceDelete` wraps `delete`): listeners for any of them run after the
 * write, so a throwing one must be able to undo it.
 */
export const WRITTEN_BY_STEP: Readonly<Record<LifecycleStep, readonly WrittenEventName[]>> = {
  save: ['created', 'updated', 'saved'],
  create: ['created'],
  update: ['updated'],
  delete: ['deleted'],
  restore: ['updated', 'saved', 'restored'],
  forceDelete: ['deleted', 'forceDeleted'],
}

const WRITTEN = new Set<string>(['created', 'updated', 'saved', 'deleted', 'restored', 'forceDeleted'])

/** Whether `event` fires after a write. */
export function isWrittenEvent(event: ModelEventName): event is WrittenEventName {
  return WRITTEN.has(event)
}

/** Whether `name` is a model event (for run-time checks on untyped input). */
export function isModelEventName(name: unknown): name is ModelEventName {
  return typeof name === 'string' && (MODEL_EVENTS as readonly string[]).includes(name)
}
