// Type tests for resources (checked by `tsc --noEmit`): the output type is inferred from the view
// function, left-out keys are optional, and relation names are checked against the model.
import { expectTypeOf } from 'vitest'
import {
  type BelongsTo,
  belongsTo,
  column,
  type CursorPage,
  defineResource,
  type HasMany,
  type RelationJSON,
  hasMany,
  Model,
  type Page,
  type PageLinks,
  type PageMeta,
  type ResourceJson,
  table,
} from '../../src/index.js'

@table('t_users')
class User extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare apiToken: string | null
  @hasMany(() => Post, { foreignKey: 'authorId' }) declare posts: HasMany<Post>
}

@table('t_posts')
class Post extends Model {
  @column.primary() declare id: number
  @column() declare authorId: number
  @column() declare title: string
  @belongsTo(() => User, { foreignKey: 'authorId' }) declare author: BelongsTo<User>
}

declare const isAdmin: boolean
declare const user: User
declare const post: Post

const PostResource = defineResource((p: Post) => ({ id: p.id, title: p.title }))
const UserResource = defineResource((u: User, r) => ({
  id: u.id,
  email: u.email,
  posts: r.whenLoaded('posts', PostResource),
  postsCount: r.whenCounted('posts'),
  secret: r.when(isAdmin, () => u.apiToken),
  flag: r.when(isAdmin, 'yes' as const),
  nested: { always: 1, sometimes: r.when(isAdmin, 2) },
}))

// The output: always-present keys required, left-out keys optional and never `Missing`.
expectTypeOf(UserResource.make(user)).toEqualTypeOf<{
  id: number
  email: string
  posts?: Array<{ id: number; title: string }>
  postsCount?: number
  secret?: string | null
  flag?: 'yes'
  nested: { always: number; sometimes?: number }
}>()
expectTypeOf(UserResource.make(null as User | null)).toEqualTypeOf<ResourceJson<typeof UserResource> | null>()
expectTypeOf(UserResource.collection([user])).toEqualTypeOf<Array<ResourceJson<typeof UserResource>>>()

declare const page: Page<User>
const paginated = UserResource.paginated(page)
expectTypeOf(paginated.data).toEqualTypeOf<Array<ResourceJson<typeof UserResource>>>()
expectTypeOf(paginated.meta).toEqualTypeOf<PageMeta>()
expectTypeOf(paginated.links).toEqualTypeOf<PageLinks>()

declare const slice: CursorPage<User>
const cursorPaginated = UserResource.cursorPaginated(slice)
expectTypeOf(cursorPaginated.data).toEqualTypeOf<Array<ResourceJson<typeof UserResource>>>()
expectTypeOf(cursorPaginated.links.next).toEqualTypeOf<string | null>()
// @ts-expect-error a page of posts is not a page of users
UserResource.cursorPaginated({} as CursorPage<Post>)

// A to-one relation gives one value or null; without a resource, the model's toJSON().
const PostWithAuthor = defineResource((p: Post, r) => ({
  author: r.whenLoaded('author', defineResource((a: User) => ({ id: a.id }))),
  raw: r.whenLoaded('author'),
}))
expectTypeOf(PostWithAuthor.make(post).author).toEqualTypeOf<{ id: number } | null | undefined>()
expectTypeOf(PostWithAuthor.make(post).raw).toEqualTypeOf<RelationJSON<Post['author']> | undefined>()

// Only the model's relation names.
defineResource((u: User, r) => ({
  // @ts-expect-error 'comments' is not a relation of User
  a: r.whenLoaded('comments'),
  // @ts-expect-error a column is not a relation
  b: r.whenLoaded('email'),
  // @ts-expect-error 'postz' is not a relation of User
  c: r.whenCounted('postz'),
}))

// A nested resource must view the relation's model.
defineResource((u: User, r) => ({
  // @ts-expect-error UserResource views users, not posts
  posts: r.whenLoaded('posts', UserResource),
}))

// make() takes the resource's model only.
// @ts-expect-error a Post is not a User
UserResource.make(post)

// The model named explicitly: relation names still checked; the output is a loose object.
const Explicit = defineResource<User>((u, r) => ({ id: u.id, posts: r.whenLoaded('posts', PostResource) }))
expectTypeOf(Explicit.make(user)).toEqualTypeOf<{ [key: string]: unknown }>()
// @ts-expect-error 'comments' is not a relation of User
defineResource<User>((u, r) => ({ c: r.whenLoaded('comments') }))
