import { RelationNotLoadedError } from '../errors/index.js'
import type { Row } from '../query/query-target.js'
import type { ModelMetadata } from './model-metadata.js'

/** The instance state the accessors touch. */
export interface AttributeStore {
  $attributes: Row
  $originalAttributes: Row
  $relations: Record<string, unknown>
}

/**
 * Writes one column value. `$originalAttributes` and `$attributes` are the same object until the first
 * write (hydration copies nothing); the first write copies the row, so `$originalAttributes` keeps what was
 * read.
 */
export function writeAttribute(model: AttributeStore, column: string, value: unknown): void {
  if (model.$attributes === model.$originalAttributes) model.$attributes = { ...model.$originalAttributes }
  model.$attributes[column] = value
}

/**
 * Defines, once per class, an accessor on the prototype for every column property
 * (`user.email` reads `$attributes.email`, applying the cast's `assign` on write) and for every
 * declared relation (reading one that was not loaded throws `RelationNotLoadedError`).
 * Models `declare` their fields, so no own property shadows these.
 */
export function defineAccessors(meta: ModelMetadata): void {
  const proto = (meta.ctor as unknown as { prototype: object }).prototype
  for (const col of meta.columns) {
    const column = col.column
    const assign = col.effectiveCast?.assign
    Object.defineProperty(proto, col.property, {
      configurable: true,
      enumerable: false,
      get(this: AttributeStore) {
        return this.$attributes[column]
      },
      set: assign
        ? function (this: AttributeStore, value: unknown) {
            writeAttribute(this, column, assign(value))
          }
        : function (this: AttributeStore, value: unknown) {
            writeAttribute(this, column, value)
          },
    })
  }
  for (const relation of meta.relations.keys()) {
    const model = meta.name
    Object.defineProperty(proto, relation, {
      configurable: true,
      enumerable: false,
      get(this: AttributeStore) {
        const loaded = this.$relations
        if (!Object.hasOwn(loaded, relation)) throw new RelationNotLoadedError(model, relation)
        return loaded[relation]
      },
      set(this: AttributeStore, value: unknown) {
        this.$relations[relation] = value
      },
    })
  }
}
