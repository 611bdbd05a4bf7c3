import type { Model } from '../model/model.js'
import type { ModelQuery } from '../model/model-query.js'
import type { ColumnRef, ModelAttributes, RelationBrand, RelationName, RelationNames, SnakeCase } from '../model/types.js'

/** The relation kinds, as stored in a relation's brand. */
export type RelationKind =
  | 'hasOne'
  | 'hasMany'
  | 'belongsTo'
  | 'belongsToMany'
  | 'hasOneThrough'
  | 'hasManyThrough'
  | 'morphOne'
  | 'morphMany'
  | 'morphTo'
  | 'morphToMany'
  | 'morphedByMany'

type One<Kind extends RelationKind, M extends Model> = (M & RelationBrand<Kind, M>) | null
type Many<Kind extends RelationKind, M extends Model, Pivot = string> = M[] & RelationBrand<Kind, M, Pivot>

/**
 * What a many-to-many relation's pivot rows hold, as its declared type names them: pivot column
 * names (`'grantedBy' | 'expiresAt'`), or a pivot model; `string` (the default) for any.
 */
export type PivotSpec = string | Model

/** `@hasOne(() => Profile) declare profile: HasOne<Profile>`: the loaded profile, or null. */
export type HasOne<M extends Model> = One<'hasOne', M>
/** `@hasMany(() => Post) declare posts: HasMany<Post>`: the loaded posts. */
export type HasMany<M extends Model> = Many<'hasMany', M>
/** `@belongsTo(() => User) declare author: BelongsTo<User>`: the loaded owner, or null. */
export type BelongsTo<M extends Model> = One<'belongsTo', M>
/**
 * `@belongsToMany(() => Role, { pivotColumns: ['grantedBy'] }) declare roles: BelongsToMany<Role, 'grantedBy'>`:
 * rows carry `$pivot`. Naming the pivot columns in the type (or giving a pivot model) lets
 * `attach`, `sync` and `updatePivot` check pivot attribute names.
 */
export type BelongsToMany<M extends Model, Pivot extends PivotSpec = string> = Many<'belongsToMany', M, Pivot>
export type HasOneThrough<M extends Model> = One<'hasOneThrough', M>
export type HasManyThrough<M extends Model> = Many<'hasManyThrough', M>
export type MorphOne<M extends Model> = One<'morphOne', M>
export type MorphMany<M extends Model> = Many<'morphMany', M>
/** `@morphTo() declare commentable: MorphTo<Post | Video>`. */
export type MorphTo<M extends Model> = One<'morphTo', M>
export type MorphToMany<M extends Model, Pivot extends PivotSpec = string> = Many<'morphToMany', M, Pivot>
export type MorphedByMany<M extends Model, Pivot extends PivotSpec = string> = Many<'morphedByMany', M, Pivot>

/** The model a relation property holds: `Post` for `HasMany<Post>`, `Post[]` or `Post | null`. */
export type RelatedModel<V> =
  NonNullable<V> extends RelationBrand<string, infer R, never>
    ? Extract<R, Model>
    : NonNullable<V> extends ReadonlyArray<infer E>
      ? Extract<E, Model>
      : Extract<NonNullable<V>, Model>

/** The pivot spec in a relation's brand (`string`, any pivot name, when it names none). */
export type PivotOf<V> = NonNullable<V> extends RelationBrand<string, unknown, infer P> ? (unknown extends P ? string : P) : string

/** The kind in a relation's brand; `'plain'` for an unbranded `Post[]` / `User | null`. */
export type RelationKindOf<V> = NonNullable<V> extends RelationBrand<infer K, unknown, never> ? K : 'plain'

type Prev = [never, 0, 1, 2, 3]

/**
 * Every relation name of `M` and every dotted path through them, four levels deep:
 * `'posts' | 'posts.comments' | 'posts.comments.author' | …`. It grows with the number of
 * relations to the fourth power, so no query method uses it (they check one segment at a time,
 * with `ValidPath`); it is kept for code that wants the whole list.
 */
export type RelationPath<M, Depth extends number = 4> = [Depth] extends [never]
  ? never
  : M extends unknown
    ? { [K in RelationName<M>]: K | `${K}.${RelationPath<RelatedModel<M[K]>, Prev[Depth]>}` }[RelationName<M>]
    : never

/**
 * `P` itself when it is a relation path of `M`; otherwise the valid names at the first wrong
 * segment, prefixed by the segments before it. Checked one segment at a time, so its cost is the
 * path's length, whatever the number of relations. A parameter typed `ValidPath<M, P>` infers
 * `P` from the argument, so `with('posts.comentz')` reports
 * `'"posts.comentz"' is not assignable to '"posts.author" | "posts.comments" | "posts.tags"'`.
 */
// The names are written `RelationNames<M>[keyof M]` rather than `RelationName<M>` so the union
// carries no alias, and an error lists the names rather than printing `RelationName<Post>`.
export type ValidPath<M, P extends string> = M extends unknown
  ? P extends `${infer Head}.${infer Rest}`
    ? Head extends RelationName<M>
      ? `${Head}.${ValidPath<RelatedModel<M[Head]>, Rest>}`
      : RelationNames<M>[keyof M]
    : P extends RelationName<M>
      ? P
      : RelationNames<M>[keyof M]
  : never

/** A list of relation paths of `M`, each checked as `ValidPath` does. */
export type ValidPaths<M, P extends readonly string[]> = { [I in keyof P]: ValidPath<M, P[I]> }

/** The model at the end of a relation path: `RelatedAt<User, 'posts.comments'>` is `Comment`. */
export type RelatedAt<M, P extends string> = M extends unknown
  ? P extends `${infer Head}.${infer Rest}`
    ? Head extends keyof M
      ? RelatedAt<RelatedModel<M[Head]>, Rest>
      : never
    : P extends keyof M
      ? RelatedModel<M[P]>
      : never
  : never

/** What a constraint callback receives for a relation path of `M`. */
export type RelatedQuery<M, P extends string> = ModelQuery<Extract<RelatedAt<M, P>, Model>>

/** A constraint on the related query of path `P`: `(q) => q.where('published', true)`. */
export type RelationConstraint<M, P extends string> = (query: RelatedQuery<M, P>) => unknown

/** A column of the model at the end of path `P` (for `withSum` and friends). */
export type RelatedColumn<M, P extends string> = ColumnRef<Extract<RelatedAt<M, P>, Model>>

/** A related row given by key or as a model. */
export type RelatedKey<M extends Model> = string | number | bigint | M

/** Pivot values by pivot column property (`grantedBy`) or column (`granted_by`). */
export type PivotValues = Record<string, unknown>

/**
 * The pivot values a many-to-many relation takes: any names when its type names none, else those
 * it names (and their column names), or the columns of its pivot model, typed.
 */
export type PivotAttributes<P> = [P] extends [Model]
  ? ModelAttributes<P>
  : string extends P
    ? PivotValues
    : { [K in Extract<P, string> | SnakeCase<Extract<P, string>>]?: unknown }

/** What `sync()` did, by related key. */
export interface SyncResult {
  attached: unknown[]
  detached: unknown[]
  updated: unknown[]
}

/** Every relation client can query the related rows of its parent. */
export interface RelationQueryClient<M extends Model> {
  /** The related rows of this parent as a query: `await user.related('posts').query().where('published', true)`. */
  query(): ModelQuery<M>
}

/** Writes through a hasMany / morphMany (and hasOne / morphOne) relation. */
export interface HasManyClient<M extends Model> extends RelationQueryClient<M> {
  /** Creates a related model with the foreign key (and morph type) set. */
  create(attributes: ModelAttributes<M>): Promise<M>
  /** Creates several, in one transaction. */
  createMany(rows: ReadonlyArray<ModelAttributes<M>>): Promise<M[]>
  /** Sets the foreign key (and morph type) on `model` and saves it. */
  save(model: M): Promise<M>
  saveMany(models: readonly M[]): Promise<M[]>
}

export type HasOneClient<M extends Model> = HasManyClient<M>

/** Writes through a belongsTo relation (the child side). */
export interface BelongsToClient<M extends Model> extends RelationQueryClient<M> {
  /** Points the foreign key at `owner` and saves this model. */
  associate(owner: M): Promise<void>
  /** Clears the foreign key and saves this model. */
  dissociate(): Promise<void>
}

/** Writes through a morphTo relation: the type and the key are set together. */
export type MorphToClient<M extends Model> = BelongsToClient<M>

/** Writes through a many-to-many relation: pivot rows, checked against the pivot `P` its type declares. */
export interface BelongsToManyClient<M extends Model, P = string> extends RelationQueryClient<M> {
  /** Adds pivot rows: `attach([1, 2], { grantedBy: 7 })` or `attach({ 1: { grantedBy: 7 } })`. */
  attach(ids: ReadonlyArray<RelatedKey<M>> | RelatedKey<M> | Record<string, PivotAttributes<P>>, pivot?: PivotAttributes<P>): Promise<void>
  /** Removes pivot rows (all of this parent's without arguments); resolves to how many. */
  detach(ids?: ReadonlyArray<RelatedKey<M>> | RelatedKey<M>): Promise<number>
  /** Makes the pivot rows exactly `ids` (detaching others unless `detaching` is false). */
  sync(ids: ReadonlyArray<RelatedKey<M>> | Record<string, PivotAttributes<P>>, detaching?: boolean): Promise<SyncResult>
  /** Attaches those not attached, detaches those that are. */
  toggle(ids: ReadonlyArray<RelatedKey<M>> | RelatedKey<M>): Promise<{ attached: unknown[]; detached: unknown[] }>
  /** Updates the pivot columns of one row; resolves to how many rows changed. */
  updatePivot(id: RelatedKey<M>, values: PivotAttributes<P>): Promise<number>
  /** Creates a related model and attaches it. */
  create(attributes: ModelAttributes<M>, pivot?: PivotAttributes<P>): Promise<M>
  createMany(rows: ReadonlyArray<ModelAttributes<M>>, pivot?: PivotAttributes<P>): Promise<M[]>
  /** Saves `model` (when it has changes) and attaches it. */
  save(model: M, pivot?: PivotAttributes<P>): Promise<M>
  saveMany(models: readonly M[], pivot?: PivotAttributes<P>): Promise<M[]>
}

/** A through relation is read-only. */
export type ThroughClient<M extends Model> = RelationQueryClient<M>

/** What `related()` offers for a relation declared without a brand (`Post[]`, `User | null`): every method. */
export type AnyRelationClient<M extends Model> = HasManyClient<M> & BelongsToClient<M> & BelongsToManyClient<M>

/** The client `model.related(name)` returns for a relation property of type `V`. */
export type RelatedClient<V> =
  RelationKindOf<V> extends infer K
    ? K extends 'hasMany' | 'morphMany'
      ? HasManyClient<RelatedModel<V>>
      : K extends 'hasOne' | 'morphOne'
        ? HasOneClient<RelatedModel<V>>
        : K extends 'belongsTo'
          ? BelongsToClient<RelatedModel<V>>
          : K extends 'morphTo'
            ? MorphToClient<RelatedModel<V>>
            : K extends 'belongsToMany' | 'morphToMany' | 'morphedByMany'
              ? BelongsToManyClient<RelatedModel<V>, PivotOf<V>>
              : K extends 'hasOneThrough' | 'hasManyThrough'
                ? ThroughClient<RelatedModel<V>>
                : AnyRelationClient<RelatedModel<V>>
    : never
