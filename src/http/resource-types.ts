import type { Model } from '../model/model.js'
import type { ModelLike, RelationName } from '../model/types.js'
import type { PageMeta } from '../query/paginators.js'
import type { RelatedModel } from '../relations/relation-types.js'
import type { ModelJSON } from '../model/json-types.js'

declare const missingBrand: unique symbol
declare const resourceModel: unique symbol

/**
 * What `r.whenLoaded`, `r.whenCounted` and `r.when` give for a value that is left out. A key
 * holding it is dropped from the output, and typed as optional there.
 */
export interface Missing {
  readonly [missingBrand]: true
}

/** Any object a resource's view function may return. */
export type ResourceObject = Record<string, unknown>

type IsAny<V> = 0 extends 1 & V ? true : false

/** Keys whose value may be `Missing`. */
type MaybeMissingKeys<O> = {
  [K in keyof O]-?: IsAny<O[K]> extends true ? never : Missing extends O[K] ? K : never
}[keyof O]

type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** A value of the output: nested plain objects lose their `Missing` keys too. */
type OutputValue<V> = V extends Date | ModelLike | readonly unknown[] | ((...args: never[]) => unknown)
  ? V
  : V extends object
    ? [MaybeMissingKeys<V>] extends [never]
      ? V
      : ResourceOutput<V>
    : V

/**
 * The JSON a resource makes from a view function returning `O`: keys that may be `Missing` are
 * optional (and never `Missing`), the others as returned.
 *
 * ```ts
 * ResourceOutput<{ id: number; posts: PostJson[] | Missing }>  // { id: number; posts?: PostJson[] }
 * ```
 */
export type ResourceOutput<O> = Simplify<
  { [K in Exclude<keyof O, MaybeMissingKeys<O>>]: OutputValue<O[K]> } & {
    [K in MaybeMissingKeys<O>]?: OutputValue<Exclude<O[K], Missing>>
  }
>

/** The `links` of a paginated response: URLs of the first, last, previous and next pages. */
export interface PageLinks {
  first: string
  last: string
  prev: string | null
  next: string | null
}

/** `Resource.paginated(page)`: one page of resources with `paginate()`'s meta and page links. */
export interface PaginatedResource<O> {
  data: O[]
  meta: PageMeta
  links: PageLinks
}

/** `Resource.cursorPaginated(slice)`: one slice of `cursorPaginate()` with its cursors and links. */
export interface CursorPaginatedResource<O> {
  data: O[]
  meta: { nextCursor: string | null; prevCursor: string | null }
  links: { next: string | null; prev: string | null }
}

/** Where a paginated response's links point. */
export interface PageLinkOptions {
  /**
   * The URL of the current request (path and query, `'/posts?tag=ts&page=2'`, or absolute).
   * Default: the request the Fastify or Express integration is serving, if any.
   */
  url?: string
  /**
   * Prepended to the request's path to make absolute links (`'https://api.example.com'`).
   * Default: the integration's `baseUrl` option; without one, links are the path and query.
   */
  baseUrl?: string
  /** The query parameter holding the page number (default `'page'`). */
  pageParam?: string
  /** For `cursorPaginated`: the query parameter holding the cursor (default `'cursor'`). */
  cursorParam?: string
}

/**
 * A view of model `M` as JSON, made by `defineResource`:
 *
 * ```ts
 * PostResource.make(post)            // the view of one post (null for null)
 * PostResource.collection(posts)     // an array of views
 * PostResource.paginated(page)       // { data, meta, links }
 * ```
 */
export interface Resource<M extends Model, O> {
  /** Type-only: the model this resource views (checked where a resource is nested). */
  readonly [resourceModel]?: (model: M) => void
  /** The view of one model, ready for `JSON.stringify`. */
  make(model: M): O
  /** `null` (or `undefined`) gives `null`, as an absent `belongsTo` would serialise. */
  make(model: M | null | undefined): O | null
  /** The views of several models, in order. */
  collection(models: Iterable<M>): O[]
  /** One page of `paginate()` as `{ data, meta, links: { first, last, prev, next } }`. */
  paginated(page: { data: readonly M[]; meta: PageMeta }, options?: PageLinkOptions): PaginatedResource<O>
  /** One slice of `cursorPaginate()` as `{ data, meta: { nextCursor, prevCursor }, links: { next, prev } }`. */
  cursorPaginated(
    slice: { data: readonly M[]; nextCursor: string | null; prevCursor: string | null },
    options?: PageLinkOptions,
  ): CursorPaginatedResource<O>
}

/** The output type of a resource: `ResourceJson<typeof UserResource>`. */
export type ResourceJson<R> = R extends Resource<infer _M, infer O> ? O : never

/** The JSON of a model as `toJSON()` gives it. */
type ModelJson<T> = ModelJSON<T>

/** A loaded relation's value as JSON: an array for to-many relations, else one value or null. */
type LoadedJson<V, Item> = NonNullable<V> extends readonly unknown[] ? Item[] : Item | null

/** The helpers a view function receives as its second argument. */
export interface ResourceHelpers<M extends Model> {
  /**
   * The relation's value when it was loaded (`with('posts')`, `load('posts')`), else left out.
   * With a resource, each related model is viewed through it; without, as `toJSON()` gives it.
   *
   * ```ts
   * posts: r.whenLoaded('posts', PostResource),
   * author: r.whenLoaded('author'),
   * ```
   */
  whenLoaded<K extends RelationName<M>, O>(
    relation: K,
    resource: Resource<RelatedModel<M[K]>, O>,
  ): LoadedJson<M[K], O> | Missing
  whenLoaded<K extends RelationName<M>>(relation: K): LoadedJson<M[K], ModelJson<RelatedModel<M[K]>>> | Missing
  /**
   * The count `withCount(relation)` selected (`$extras.<relation>Count`, or `alias`), else left out.
   *
   * ```ts
   * postsCount: r.whenCounted('posts'),
   * ```
   */
  whenCounted(relation: RelationName<M>, alias?: string): number | Missing
  /**
   * The value when `condition` is truthy, else left out. A function is called only then.
   *
   * ```ts
   * apiToken: r.when(viewer.isAdmin, () => user.apiToken),
   * ```
   */
  when<T>(condition: unknown, value: () => T): T | Missing
  when<T>(condition: unknown, value: T): T | Missing
}

/** A view function: the model (and the helpers) to a plain object. */
export type ViewFunction<M extends Model, O> = (model: M, r: ResourceHelpers<M>) => O
