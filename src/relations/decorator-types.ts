// Type-level only: what the relation decorators check at compile time. A legacy property decorator
// is called with the class's prototype and the property name, so its type can require the
// property to be declared as the relation it makes, and key options to name real properties.
import type { ColumnName, SnakeCase } from '../model/types.js'
import type { PivotOf, RelatedModel, RelationKind, RelationKindOf } from './relation-types.js'

/** A name a key option accepts on model `M`: a column property (`authorId`) or its default column name (`author_id`). */
export type KeyName<M> = ColumnName<M> | SnakeCase<ColumnName<M>>

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S

type SingleKind = 'hasOne' | 'belongsTo' | 'morphOne' | 'hasOneThrough' | 'morphTo'

/**
 * Whether a property declared as `V` fits a relation decorator of kind `Kind` to `R`: its brand
 * is that kind (or it is a plain `R[]` / `R | null`), it holds one or many as the kind does, its
 * model is `R`, and, for a many-to-many, it names the decorator's `pivotColumns` (`Pivot`)
 * among its pivot names, or names none.
 */
// Checked part by part, each part cached per declared type: comparing the declared intersection
// (`Post[] & RelationBrand<…>`) with an expected one as a whole cost about 500 instantiations
// per decorator.
export type RelationAgrees<V, Kind extends RelationKind, R, Pivot> = [RelationKindOf<V>] extends [Kind | 'plain']
  ? [NonNullable<V> extends ReadonlyArray<unknown> ? 'many' : 'one'] extends [Kind extends SingleKind ? 'one' : 'many']
    ? [RelatedModel<V>] extends [R]
      ? PivotOf<V> extends string
        ? [Pivot] extends [PivotOf<V>]
          ? true
          : false
        : true
      : false
    : false
  : false

/** The property name when its declared type agrees with the decorator, else a message naming the fix. */
export type CheckedRelation<T, K extends string, Kind extends RelationKind, R, Pivot> = K extends keyof T
  ? RelationAgrees<T[K], Kind, R, Pivot> extends true
    ? K
    : `${K}: declare it as ${Capitalize<Kind>}<the model @${Kind}() names>${[Pivot] extends [never] ? '' : ', naming its pivotColumns'}`
  : K

/** The model a decorator with key options sits on must have each key (`Keys`) as a property. */
export type WithKeys<T, Keys extends string> = [Keys] extends [never] ? T : T & { [P in CamelCase<Keys>]: unknown }

/**
 * A relation decorator of kind `Kind` to `R`: the decorated property must be declared as that
 * relation, and its own model must have the properties `Keys` (the key options naming its
 * properties: `localKey` of a hasMany, `foreignKey` of a belongsTo).
 *
 * ```ts
 * @hasMany(() => Post) declare posts: HasMany<Comment>   // compile error: Comment is not Post
 * ```
 */
export type TypedRelationDecorator<Kind extends RelationKind, R, Keys extends string = never, Pivot = never> = <T extends object, K extends string>(
  target: WithKeys<T, Keys>,
  property: CheckedRelation<T, K, Kind, R, Pivot>,
) => void
