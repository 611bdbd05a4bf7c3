import { QuarryError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import type { PageMeta } from '../query/paginators.js'
import { cursorLinks, pageLinks } from './page-links.js'
import { helpersFor, withoutMissing } from './resource-helpers.js'
import type {
  CursorPaginatedResource,
  PageLinkOptions,
  PaginatedResource,
  Resource,
  ResourceObject,
  ResourceOutput,
  ViewFunction,
} from './resource-types.js'

/**
 * Defines how a model is shown as JSON: a view function from the model (and helpers for values
 * that are sometimes left out) to a plain object. The output type is inferred from the function.
 *
 * ```ts
 * export const PostResource = defineResource((post: Post) => ({ id: post.id, title: post.title }))
 * export const UserResource = defineResource((user: User, r) => ({
 *   id: user.id,
 *   posts: r.whenLoaded('posts', PostResource),   // left out unless loaded
 *   postsCount: r.whenCounted('posts'),            // left out unless withCount('posts')
 * }))
 * UserResource.make(user)          // { id: 1, posts?: { id, title }[], postsCount?: number }
 * UserResource.paginated(page)     // { data, meta, links }
 * UserResource.cursorPaginated(await User.query().orderBy('id').cursorPaginate(20, cursor))
 * ```
 *
 * Annotating the parameter (`(post: Post) => …`) lets TypeScript infer both the model and the
 * output type. `defineResource<Post>((post) => …)` names the model explicitly; TypeScript cannot
 * infer the output type beside an explicit type argument, so it is then a loose object (name it
 * too, `defineResource<Post, PostView>`, for an exact one).
 */
export function defineResource<M extends Model, O extends object = ResourceObject>(
  view: ViewFunction<M, O>,
): Resource<M, ResourceOutput<O>> {
  if (typeof view !== 'function') throw new QuarryError('defineResource() takes a view function: (model, r) => ({ ... })')
  return new ModelResource(view) as unknown as Resource<M, ResourceOutput<O>>
}

class ModelResource<M extends Model> {
  constructor(private readonly view: ViewFunction<M, object>) {}

  make(model: M | null | undefined): ResourceObject | null {
    if (model === null || model === undefined) return null
    if (typeof model !== 'object' || !('$attributes' in model)) {
      throw new QuarryError(`Resource.make() takes a model instance, not ${describe(model)}`)
    }
    const out = this.view(model, helpersFor(model))
    if (out === null || typeof out !== 'object' || Array.isArray(out)) {
      throw new QuarryError(`A resource's view function must return a plain object; it returned ${describe(out)}`)
    }
    return withoutMissing(out as ResourceObject)
  }

  collection(models: Iterable<M>): Array<ResourceObject | null> {
    if (models === null || typeof (models as Iterable<M> | undefined)?.[Symbol.iterator] !== 'function') {
      throw new QuarryError(`Resource.collection() takes an array of models, not ${describe(models)}`)
    }
    return Array.from(models, (model) => this.make(model))
  }

  paginated(page: { data: readonly M[]; meta: PageMeta }, options?: PageLinkOptions): PaginatedResource<ResourceObject | null> {
    if (!page || !Array.isArray(page.data) || !page.meta) {
      throw new QuarryError('Resource.paginated() takes what paginate() returned: { data, meta }')
    }
    return { data: this.collection(page.data), meta: { ...page.meta }, links: pageLinks(page.meta, options) }
  }

  cursorPaginated(
    slice: { data: readonly M[]; nextCursor: string | null; prevCursor: string | null },
    options?: PageLinkOptions,
  ): CursorPaginatedResource<ResourceObject | null> {
    if (!slice || !Array.isArray(slice.data) || slice.nextCursor === undefined || slice.prevCursor === undefined) {
      throw new QuarryError('Resource.cursorPaginated() takes what cursorPaginate() returned: { data, nextCursor, prevCursor }')
    }
    const { nextCursor, prevCursor } = slice
    return { data: this.collection(slice.data), meta: { nextCursor, prevCursor }, links: cursorLinks(slice, options) }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value !== 'object') return `a ${typeof value}`
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null ? 'a plain object' : `a ${proto.constructor?.name ?? 'object'}`
}
