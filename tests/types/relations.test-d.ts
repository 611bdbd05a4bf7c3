// Type tests for relations, checked by `tsc --noEmit` (part of `npm test`). Each `@ts-expect-error`
// fails the check if the line it guards starts to compile: relation names and paths must stay checked.
import { expectTypeOf } from 'vitest'
import {
  type BelongsTo,
  type BelongsToClient,
  type BelongsToManyClient,
  type HasMany,
  type HasManyClient,
  Model,
  type ModelQuery,
  type RelatedAt,
  type RelationPath,
  type SyncResult,
  type ThroughClient,
} from '../../src/index.js'
import { Comment, Country, Post, Role, User, Video } from '../relations/models.js'

declare const user: User
declare const post: Post
declare const comment: Comment
declare const country: Country
declare const users: User[]

// Loaded values are typed as the related model.
expectTypeOf(user.posts).toEqualTypeOf<HasMany<Post>>()
expectTypeOf(user.posts[0]!).toEqualTypeOf<Post>()
expectTypeOf(post.author).toEqualTypeOf<BelongsTo<User>>()
expectTypeOf(post.author!.name).toEqualTypeOf<string>()
expectTypeOf(user.roles[0]!.$pivot).toEqualTypeOf<Record<string, unknown> | undefined>()
expectTypeOf<RelatedAt<User, 'posts.comments.author'>>().toEqualTypeOf<User>()

// Paths: names and dotted paths, at least three (here four) levels deep.
expectTypeOf<'posts.comments.author.posts'>().toMatchTypeOf<RelationPath<User>>()
User.query().with('posts')
User.query().with('posts.comments.author')
User.query().with('posts.comments.author.roles')
User.query().with('posts', 'profile').with(['roles', 'mentor'])
Comment.query().with('commentable.tags')
// @ts-expect-error a misspelt relation
User.query().with('postz')
// @ts-expect-error a misspelt segment of a path
User.query().with('posts.comentz')
// @ts-expect-error a column is not a relation
User.query().with('name')
// @ts-expect-error a path that stops at a column
User.query().with('posts.title')
// @ts-expect-error one of several names misspelt
User.query().with('posts', 'profil')

// A constraint receives a query over the model at the end of the path.
User.query().with('posts', (q) => q.where('published', true).orderBy('createdAt'))
User.query().with('posts.comments', (q) => q.where('votes', '>', 2))
User.query().with('posts', (q) => expectTypeOf(q).toEqualTypeOf<ModelQuery<Post>>())
// @ts-expect-error the constraint's columns are the related model's
User.query().with('posts', (q) => q.where('votes', 1))

// Lazy loading.
expectTypeOf(user.load('roles', 'profile')).resolves.toEqualTypeOf<User>()
expectTypeOf(user.load('posts', (q) => q.where('title', 'x'))).resolves.toEqualTypeOf<User>()
expectTypeOf(Model.loadMissing(users, 'posts.comments')).resolves.toEqualTypeOf<User[]>()
expectTypeOf(User.loadMissing(users, 'roles')).resolves.toEqualTypeOf<User[]>()
// @ts-expect-error load() of an unknown relation
void user.load('nope')
// @ts-expect-error load() of a bad path
void user.load('posts.nope')
// @ts-expect-error loadMissing() of an unknown relation
void Model.loadMissing(users, 'nope')

// Querying by relations.
User.query().has('posts').has('posts', '>=', 3).doesntHave('roles')
User.query().whereHas('posts', (q) => q.where('published', true)).whereDoesntHave('posts.comments', (q) => q.where('votes', 0))
User.query().withCount('posts').withCount('posts', (q) => q.where('published', true), 'publishedCount')
User.query().withSum('posts', 'views').withMax('posts.comments', 'votes').withAvg('posts', 'views', (q) => q.where('published', true), 'avgViews')
// @ts-expect-error whereHas on an unknown relation
User.query().whereHas('nope')
// @ts-expect-error a whereHas constraint with another model's column
User.query().whereHas('posts', (q) => q.where('votes', 1))
// @ts-expect-error withCount of an unknown relation
User.query().withCount('postz')
// @ts-expect-error withSum of a column the related model does not have
User.query().withSum('posts', 'votes')
// @ts-expect-error has() with a bad operator
User.query().has('posts', '=>', 2)

// related(): the client matches the relation's kind.
expectTypeOf(user.related('posts')).toEqualTypeOf<HasManyClient<Post>>()
expectTypeOf(user.related('posts').create({ title: 'x' })).resolves.toEqualTypeOf<Post>()
expectTypeOf(user.related('posts').query()).toEqualTypeOf<ModelQuery<Post>>()
expectTypeOf(user.related('roles')).toEqualTypeOf<BelongsToManyClient<Role>>()
expectTypeOf(user.related('roles').sync([1, 2])).resolves.toEqualTypeOf<SyncResult>()
expectTypeOf(post.related('author')).toEqualTypeOf<BelongsToClient<User>>()
expectTypeOf(country.related('posts')).toEqualTypeOf<ThroughClient<Post>>()
void user.related('roles').attach([1, 2], { grantedBy: 7 })
void user.related('roles').attach({ 1: { grantedBy: 7 } })
void user.related('roles').detach([2])
void user.related('roles').toggle([4])
void user.related('roles').updatePivot(1, { grantedBy: 3 })
void post.related('author').associate(user)
void comment.related('commentable').associate(new Video())
void post.related('tags').attach([1])
// @ts-expect-error a hasMany has no attach()
void user.related('posts').attach([1])
// @ts-expect-error a belongsToMany has no associate()
void user.related('roles').associate(new Role())
// @ts-expect-error a belongsTo has no create()
void post.related('author').create({ name: 'x' })
// @ts-expect-error through relations are read-only
void country.related('posts').create({ title: 'x' })
// @ts-expect-error create() is typed by the related model
void user.related('posts').create({ titel: 'x' })
// @ts-expect-error create() values are typed too
void user.related('posts').create({ views: 'many' })
// @ts-expect-error associate() takes the related model
void post.related('author').associate(post)
// @ts-expect-error an unknown relation
user.related('nope')
// @ts-expect-error a column is not a relation
user.related('name')

// A relation declared without a brand offers every method.
class Author extends Model {
  declare id: number
  declare books: Book[]
  declare editor: Author | null
}
class Book extends Model {
  declare id: number
  declare title: string
}
declare const author: Author
void author.related('books').attach([1])
void author.related('books').create({ title: 'x' })
void author.related('editor').associate(author)
expectTypeOf(author.related('books').query()).toEqualTypeOf<ModelQuery<Book>>()

// Inside a model's own methods, annotate `this` with the class: relation names are then checked
// as anywhere else (on the polymorphic `this` type they cannot be worked out).
class Writer extends Model {
  declare id: number
  declare books: Book[]
  publishedBooks(this: Writer) {
    return this.related('books').query().where('title', 'like', '%')
  }
  withBooks(this: Writer) {
    return this.load('books')
  }
}
declare const writer: Writer
expectTypeOf(writer.publishedBooks()).toEqualTypeOf<ModelQuery<Book>>()
expectTypeOf(writer.withBooks()).resolves.toEqualTypeOf<Writer>()
