// Type-level only: what the relation decorators check at compile time. A legacy property decorator
// is called with the class's prototype and the property name, so its type can require the
// property to be declared as the relation it makes, and key options to name real properties.
import type { ColumnName, RelationBrand, SnakeCase } from '../model/types.js'
import type { RelationKind } from './relation-types.js'

/** A name a key option accepts on model `M`: a column property (`authorId`) or its default column name (`author_id`). */
export type KeyName<M> = ColumnName<M> | SnakeCase<ColumnName<M>>

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S

type SingleKind = 'hasOne' | 'belongsTo' | 'morphOne' | 'hasOneThrough' | 'morphTo'

/**
 * What a property decorated with a relation of kind `Kind` to `R` may be declared as: that
 * relation type (`HasMany<Post>`), or the plain loaded value (`Post[]`, `User | null`). For a
 * many-to-many, `Pivot` is the pivot columns the decorator names: the declared type must name
 * them too (or name none).
 */
export type DeclaredRelation<Kind extends RelationKind, R, Pivot = never> = Kind extends SingleKind
  ? (R & RelationBrand<Kind, R>) | null
  : R[] & RelationBrand<Kind, R, Pivot>

/** The model a relation decorator may sit on: property `K` declared as `V`, and each of `Keys` a property. */
export type RelationHolder<K extends string, V, Keys extends string> = { [P in K]: V } & { [P in CamelCase<Keys>]: unknown }

/**
 * A relation decorator whose property must be declared as `V` on a model that has the properties
 * `Keys` (its own key options: `localKey` of a hasMany, `foreignKey` of a belongsTo).
 *
 * ```ts
 * @hasMany(() => Post) declare posts: HasMany<Comment>   // compile error: Comment[] is not Post[]
 * ```
 */
export type TypedRelationDecorator<V, Keys extends string = never> = <K extends string>(target: RelationHolder<K, V, Keys>, property: K) => void
