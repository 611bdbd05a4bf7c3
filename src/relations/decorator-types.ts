// Type-level only: what the relation decorators check at compile time. A legacy property decorator
// is called with the class's prototype and the property name, so its type can require the
// property to be declared as the relation it makes, and key options to name real properties.
import type { ColumnName, RelationBrand, SnakeCase, Unbranded } from '../model/types.js'
import type { RelationKind } from './relation-types.js'

/** A name a key option accepts on model `M`: a column property (`authorId`) or its default column name (`author_id`). */
export type KeyName<M> = ColumnName<M> | SnakeCase<ColumnName<M>>

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S

type SingleKind = 'hasOne' | 'belongsTo' | 'morphOne' | 'hasOneThrough' | 'morphTo'

/**
 * What a property decorated with a relation of kind `Kind` to `R` may be declared as: that
 * relation type (`HasMany<Post>`, whose brand names the kind and the model), or the plain loaded
 * value (`Post[]`, `User | null`). For a many-to-many, `Pivot` is the decorator's `pivotColumns`:
 * a declared type that names pivot attributes must name them (the brand's pivot is contravariant).
 */
// Compared by the brand alone, not as `Post[] & RelationBrand<…>`: checking a declared
// intersection against an expected intersection cost about 500 instantiations per decorator.
export type DeclaredRelation<Kind extends RelationKind, R, Pivot = never> = Kind extends SingleKind
  ? RelationBrand<Kind, R> | (R & Unbranded) | null
  : RelationBrand<Kind, R, Pivot> | (R[] & Unbranded)

/** The model a decorator with key options sits on must have each key (`Keys`) as a property. */
export type KeysHolder<Keys extends string> = [Keys] extends [never] ? unknown : { [P in CamelCase<Keys>]: unknown }

/**
 * A relation decorator of kind `Kind` to `R`: the decorated property must be declared as that
 * relation (`DeclaredRelation`), and its own model must have the properties `Keys` (the key
 * options naming its properties: `localKey` of a hasMany, `foreignKey` of a belongsTo).
 *
 * ```ts
 * @hasMany(() => Post) declare posts: HasMany<Comment>   // compile error: Comment is not Post
 * ```
 */
export type TypedRelationDecorator<Kind extends RelationKind, R, Keys extends string = never, Pivot = never> = <K extends string>(
  target: { [P in K]: DeclaredRelation<Kind, R, Pivot> } & KeysHolder<Keys>,
  property: K,
) => void
