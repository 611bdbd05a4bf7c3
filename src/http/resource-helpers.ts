import { RelationNotFoundError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import { modelMetadata } from '../model/model.js'
import type { Missing, Resource, ResourceHelpers } from './resource-types.js'

/** The value of a left-out key (dropped by `make`). */
export const MISSING = Object.freeze({ missing: true }) as unknown as Missing

/** The helpers handed to a view function for `model`. */
export function helpersFor<M extends Model>(model: M): ResourceHelpers<M> {
  return {
    whenLoaded(relation: string, resource?: Resource<Model, unknown>): never {
      checkRelation(model, relation, 'whenLoaded')
      const loaded = model.$relationsStore
      if (!loaded || !Object.hasOwn(loaded, relation)) return MISSING as never
      return viewOf(loaded[relation], resource) as never
    },
    whenCounted(relation: string, alias?: string): never {
      checkRelation(model, relation, 'whenCounted')
      const value = model.$extrasStore?.[alias ?? `${relation}Count`]
      if (value === undefined) return MISSING as never
      return Number(value) as never
    },
    when(condition: unknown, value: unknown): never {
      if (!condition) return MISSING as never
      return (typeof value === 'function' ? (value as () => unknown)() : value) as never
    },
  } as ResourceHelpers<M>
}

function viewOf(value: unknown, resource: Resource<Model, unknown> | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => viewOf(item, resource))
  if (value === null || value === undefined) return null
  if (resource) return resource.make(value as Model)
  return typeof (value as Model).toJSON === 'function' ? (value as Model).toJSON() : value
}

// Checked at run time too: a name from a `string` variable, or from JavaScript, gets the model's
// relations listed instead of a silently missing key.
function checkRelation(model: Model, relation: string, helper: string): void {
  const meta = modelMetadata(model.constructor as typeof Model)
  if (!meta.relations.has(relation)) {
    const error = new RelationNotFoundError(meta.name, relation, [...meta.relations.keys()])
    error.message = `r.${helper}(): ${error.message}`
    throw error
  }
}

/**
 * The view function's result without its left-out keys: `MISSING` values are dropped, here and
 * in nested plain objects. Other values (arrays, dates, models) are kept as they are.
 */
export function withoutMissing(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const item = value[key]
    if (item === MISSING) continue
    out[key] = isPlainObject(item) ? withoutMissing(item) : item
  }
  return out
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
