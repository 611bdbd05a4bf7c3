import { AsyncLocalStorage } from 'node:async_hooks'
import type { Model } from '../model/model.js'
import type { ModelMetadata } from '../model/model-metadata.js'
import { BelongsTo } from './belongs-to/belongs-to.js'
import { BelongsToMany } from './belongs-to-many/belongs-to-many.js'
import { HasOneOrMany } from './has-one-or-many/has-one-or-many.js'
import { MorphTo } from './morph-to/morph-to.js'

/** What the persistence layer asks of a model's relations, worked out once per model class. */
export interface WriteHooks {
  /** hasOne/hasMany/morphOne/morphMany/many-to-many relations declared with `onDelete: 'cascade'`. */
  readonly cascades: ReadonlyArray<HasOneOrMany | BelongsToMany>
  /** belongsTo/morphTo relations declared with `touches: true`. */
  readonly touches: ReadonlyArray<BelongsTo | MorphTo>
}

const NONE: WriteHooks = { cascades: [], touches: [] }
const hooks = new WeakMap<ModelMetadata, WriteHooks>()

/** The cascades and touches of `meta`'s model (none, without allocating, for a model without relations). */
export function writeHooks(meta: ModelMetadata): WriteHooks {
  if (!meta.relations.size) return NONE
  let found = hooks.get(meta)
  if (!found) {
    // Only the relations that take part are settled here: a save never trips over another relation's keys.
    const relations = [...meta.relations.values()]
    found = {
      cascades: relations
        .filter((r): r is HasOneOrMany | BelongsToMany => (r instanceof HasOneOrMany || r instanceof BelongsToMany) && r.onDelete === 'cascade')
        .map((r) => r.boot()),
      touches: relations.filter((r): r is BelongsTo | MorphTo => (r instanceof BelongsTo || r instanceof MorphTo) && r.touches).map((r) => r.boot()),
    }
    hooks.set(meta, found)
  }
  return found
}

const clock = new AsyncLocalStorage<Date>()

/**
 * The moment a soft delete stamps: the cascade's, inside one, so a parent and the children it
 * soft-deletes carry the same `deletedAt` (which is how restoring the parent finds exactly them).
 */
export function deletionTime(): Date {
  return clock.getStore() ?? new Date()
}

/** Runs `fn` with `time` as the deletion time of every soft delete inside it. */
export function atDeletionTime<T>(time: Date, fn: () => Promise<T>): Promise<T> {
  return clock.getStore() ? fn() : clock.run(time, fn)
}

/** Tells a cascade that a child's event handler cancelled its write. */
export class CascadeCancelled extends Error {
  constructor(readonly model: Model) {
    super(`cascade cancelled by a ${model.constructor.name} event handler`)
  }
}
