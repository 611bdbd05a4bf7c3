import type { Model } from '../model/model.js'
import type { Row } from '../query/query-target.js'

/** What a write changes on a model instance, copied so it can be put back. */
export interface ModelState {
  readonly attributes: Row
  readonly original: Row
  readonly isPersisted: boolean
  readonly isDeleted: boolean
  readonly changes: readonly string[]
  readonly snapshots: Record<string, string | undefined> | undefined
}

/** A copy of the instance state a write touches (attributes and original are copied: writes mutate them). */
export function captureState(model: Model): ModelState {
  const attributes = { ...model.$attributes }
  return {
    attributes,
    // Until the first assignment the two are one object; keep it that way.
    original: model.$originalAttributes === model.$attributes ? attributes : { ...model.$originalAttributes },
    isPersisted: model.$isPersisted,
    isDeleted: model.$isDeleted,
    changes: model.$changes,
    snapshots: model.$snapshots,
  }
}

/** Puts `state` back on `model` (after its write was rolled back). */
export function restoreState(model: Model, state: ModelState): void {
  model.$attributes = state.attributes
  model.$originalAttributes = state.original
  model.$isPersisted = state.isPersisted
  model.$isDeleted = state.isDeleted
  model.$changes = state.changes
  model.$snapshots = state.snapshots
}
