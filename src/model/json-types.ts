// Type-level only: the shape `toJSON()` returns.
import type { RelatedModel } from '../relations/relation-types.js'
import type { ColumnName, RelationName } from './types.js'

/** A loaded relation in `toJSON()`: an array of related objects, or one (or `null`). */
export type RelationJSON<V> =
  NonNullable<V> extends ReadonlyArray<unknown> ? Array<ModelJSON<RelatedModel<V>>> : ModelJSON<RelatedModel<V>> | null

/**
 * What `toJSON()` returns for a model `M`: its columns by property, with their types (`Date`s
 * stay dates until `JSON.stringify`), and each relation, present only when loaded. Not known to
 * the types: columns renamed by `serializeAs` or left out by `hidden` (they are typed as declared),
 * and `$extras` such as `postsCount` (read them from `model.$extras`).
 *
 * ```ts
 * const json = (await User.query().with('posts').firstOrFail()).toJSON()
 * json.email          // string
 * json.posts?.[0]     // ModelJSON<Post> | undefined
 * ```
 */
export type ModelJSON<M> = { [K in ColumnName<M>]: M[K] } & { [K in RelationName<M>]?: RelationJSON<M[K]> } & {
  /** The pivot row of a many-to-many relation this model was loaded through. */
  pivot?: Record<string, unknown>
}
