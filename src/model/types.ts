import type { NumericKeys } from '../query/column-values.js'
import type { QualifiedColumn } from '../query/query-target.js'

declare const relationBrand: unique symbol
/** The nominal mark of a model instance (type-only). Checking it needs no other member of the model. */
export declare const modelBrand: unique symbol

/** Anything that is a model instance, checked by its brand alone (so recursive models stay cheap). */
export interface ModelLike {
  readonly [modelBrand]: true
}

/**
 * The compile-time mark of a relation property. The relation types (`HasMany<Post>`, …) are the
 * loaded value intersected with this brand, so a relation is never mistaken for a column and
 * `related()` can know which kind it is:
 *
 * ```ts
 * export type HasMany<M extends Model> = M[] & RelationBrand<'hasMany', M>
 * ```
 */
export interface RelationBrand<Kind extends string = string, Related = unknown, Pivot = string> {
  // `pivot` is a parameter so a relation declared with pivot names accepts a decorator whose
  // `pivotColumns` are among them (and a declaration without names accepts any).
  readonly [relationBrand]?: { readonly kind: Kind; readonly related: Related; readonly pivot?: (names: Pivot) => void }
}

/** A type without a relation brand (a plain `Post[]`): what a relation decorator accepts besides the branded type. */
export interface Unbranded {
  readonly [relationBrand]?: never
}

type IsAny<V> = 0 extends 1 & V ? true : false

/** A property type that is a relation: branded, or a model, a model array or a model or null. */
export type IsRelation<V> =
  IsAny<V> extends true
    ? false
    : [NonNullable<V>] extends [never]
      ? false
      : typeof relationBrand extends keyof NonNullable<V>
        ? true
        : [NonNullable<V>] extends [ModelLike]
          ? true
          : [NonNullable<V>] extends [readonly ModelLike[]]
            ? true
            : false

/**
 * The column property names of a model: its declared properties minus methods, `$` members
 * and relations.
 */
export type ColumnName<M> = {
  [K in keyof M]-?: K extends string
    ? K extends `$${string}`
      ? never
      : IsAny<M[K]> extends true
        ? K
        : M[K] extends (...args: never[]) => unknown
          ? never
          : IsRelation<M[K]> extends true
            ? never
            : K
    : never
}[keyof M]

/** Each property of a model mapped to its own name when it is a relation, else to `never`. */
export type RelationNames<M> = {
  [K in keyof M]-?: K extends string
    ? K extends `$${string}`
      ? never
      : IsAny<M[K]> extends true
        ? never
        : IsRelation<M[K]> extends true
          ? K
          : never
    : never
}

/** The relation property names of a model. */
export type RelationName<M> = RelationNames<M>[keyof M]

/** `emailAddress` → `email_address`, at the type level (the default column naming). */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Rest}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Rest>}`
  : S

/**
 * A name a query accepts for a column of `M`: a property (`emailAddress`), its default column
 * name (`email_address`), or a qualified `table.column`.
 */
export type ColumnRef<M> = ColumnName<M> | SnakeCase<ColumnName<M>> | QualifiedColumn

/** The column values of a model, by property. */
export type Attributes<M> = { [K in ColumnName<M>]: M[K] }

/**
 * The type of each name a query accepts for a column of `M`: properties (`emailAddress`) and
 * default column names (`email_address`). Queries type values and results with it.
 */
export type ColumnTypes<M> = Attributes<M> & { [K in ColumnName<M> as SnakeCase<K>]: M[K] }

/** The numeric columns of a model (number, bigint or `Decimal`): what `increment` takes. */
export type NumericColumnName<M> = Extract<NumericKeys<Attributes<M>>, string>

/** What `create`, `fill` and `merge` take. */
export type ModelAttributes<M> = Partial<Attributes<M>>

/** A local scope: receives the query (and arguments) and narrows it. */
// The query parameter is contravariant: `any` lets each model's scopes name their own query type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ScopeFunction = (query: any, ...args: any[]) => unknown

/** The arguments a scope takes after the query. */
export type ScopeArgs<F> = F extends (query: never, ...args: infer A) => unknown ? A : never

/** The scopes a model class declares in `static scopes`. */
export type ScopesOf<C> = C extends { scopes: infer S } ? S : {}

/** The global scopes a model class declares in `static globalScopes`. */
export type GlobalScopesOf<C> = C extends { globalScopes: infer G } ? G : {}

/**
 * What `withoutGlobalScope` takes: a declared global scope or `'softDeletes'`; any name when the
 * query's model class is not known (a `ModelQuery<User>` written by hand).
 */
export type GlobalScopeName<G> = string extends keyof G ? string : Extract<keyof G, string> | 'softDeletes'
