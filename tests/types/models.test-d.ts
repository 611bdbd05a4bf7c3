// Type tests for models and queries, checked by `tsc --noEmit` (part of `npm test`). Each
// `@ts-expect-error` fails the check if the line it guards starts to compile: the types must
// not loosen.
import { expectTypeOf } from 'vitest'
import {
  column,
  type ColumnName,
  type CursorPage,
  Model,
  type ModelJSON,
  type ModelQuery,
  type Page,
  type RelationBrand,
  type RelationName,
  Repository,
  table,
} from '../../src/index.js'

type HasManyLike<M extends Model> = M[] & RelationBrand<'hasMany', M>

@table('posts')
class Post extends Model {
  @column.primary({ type: 'uuid' }) declare id: string
  @column() declare authorId: number
  @column() declare title: string
  declare author: User | null
}

@table('users')
class User extends Model {
  @column.primary() declare id: number
  @column() declare email: string
  @column() declare emailAddress: string | null
  @column() declare age: number | null
  @column.json() declare settings: Record<string, unknown>
  @column.dateTime() declare lastLoginAt: Date | null
  declare posts: Post[]
  declare drafts: HasManyLike<Post>
  declare mentor: User | null

  greet(): string {
    return `hi ${this.email}`
  }

  static fillable = ['email', 'age']
  static scopes = {
    active: (q: ModelQuery<User>) => q.where('age', '>', 0),
    olderThan: (q: ModelQuery<User>, age: number) => q.where('age', '>', age),
    named: (q: ModelQuery<User>, first: string, second?: string) => q.whereIn('email', second ? [first, second] : [first]),
  }
}

// Column names: declared properties minus methods, `$` members and relations.
expectTypeOf<ColumnName<User>>().toEqualTypeOf<'id' | 'email' | 'emailAddress' | 'age' | 'settings' | 'lastLoginAt'>()
expectTypeOf<ColumnName<Post>>().toEqualTypeOf<'id' | 'authorId' | 'title'>()
expectTypeOf<RelationName<User>>().toEqualTypeOf<'posts' | 'drafts' | 'mentor'>()

// Queries and results are typed as the model.
expectTypeOf(User.query()).toMatchTypeOf<ModelQuery<User>>()
expectTypeOf(User.query().where('email', 'x')).resolves.toEqualTypeOf<User[]>()
expectTypeOf(User.query().first()).resolves.toEqualTypeOf<User | null>()
expectTypeOf(User.query().firstOrFail()).resolves.toEqualTypeOf<User>()
expectTypeOf(User.find(1)).resolves.toEqualTypeOf<User | null>()
expectTypeOf(User.findOrFail(1)).resolves.toEqualTypeOf<User>()
expectTypeOf(User.all()).resolves.toEqualTypeOf<User[]>()
expectTypeOf(User.create({ email: 'a@b.c' })).resolves.toEqualTypeOf<User>()
expectTypeOf(Post.create({ title: 't' })).resolves.toEqualTypeOf<Post>()
expectTypeOf(User.query().paginate(1, 10)).resolves.toEqualTypeOf<Page<User>>()
expectTypeOf(User.query().cursorPaginate(10)).resolves.toEqualTypeOf<CursorPage<User>>()
expectTypeOf(User.query().count()).resolves.toEqualTypeOf<number>()
expectTypeOf(User.query().avg('age')).resolves.toEqualTypeOf<number | null>()
expectTypeOf(User.query().update({ age: 3 })).resolves.toEqualTypeOf<number>()
expectTypeOf(User.query().cursor()).toEqualTypeOf<AsyncIterableIterator<User>>()
expectTypeOf(new Repository(User).find(1)).resolves.toEqualTypeOf<User | null>()
expectTypeOf(new Repository(User).paginate()).resolves.toEqualTypeOf<Page<User>>()

// Property names, default column names and qualified names are accepted.
User.query().where('emailAddress', 'x').where('email_address', 'y').where('users.email', 'z').orderBy('lastLoginAt', 'desc')
User.query().where('last_login_at', '>', new Date()).whereIn('id', [1, 2]).whereNull('age').orderBy('age')
User.query().where((q) => q.where('age', 1).orWhere('email', 'x')).whereColumn('posts.author_id', 'users.id')
User.query().select('id', 'email').groupBy('age').where({ email: 'x', age: 3 })

// Unknown names do not compile.
// @ts-expect-error a misspelt column
User.query().where('emial', 'x')
// @ts-expect-error a misspelt column with an operator
User.query().where('emial', '=', 'x')
// @ts-expect-error orderBy an unknown column
User.query().orderBy('nope')
// @ts-expect-error a bad direction
User.query().orderBy('email', 'sideways')
// @ts-expect-error a bad operator
User.query().where('age', '=>', 3)
// @ts-expect-error a relation is not a column
User.query().where('posts', 'x')
// @ts-expect-error a method is not a column
User.query().whereNull('greet')
// @ts-expect-error a framework member is not a column
User.query().select('$attributes')
// @ts-expect-error an unknown key in an object condition
User.query().where({ emial: 'x' })
// @ts-expect-error create() with a misspelt attribute
void User.create({ emial: 'x' })
// @ts-expect-error create() with a relation
void User.create({ posts: [] })
// @ts-expect-error a wrongly typed attribute
void User.create({ age: 'old' })
// @ts-expect-error findBy an unknown column
void User.findBy('emial', 'x')
// @ts-expect-error mass update of an unknown column
void User.query().update({ nope: 1 })
// @ts-expect-error isDirty of an unknown column
new User().isDirty('nope')
// @ts-expect-error fill() with an unknown attribute
new User().fill({ nope: 1 })

// Scopes: names and argument types come from `static scopes`.
User.query().scope('active').scope('olderThan', 30).scope('named', 'a').scope('named', 'a', 'b')
expectTypeOf(User.query().scope('olderThan', 30)).resolves.toEqualTypeOf<User[]>()
// @ts-expect-error an unknown scope
User.query().scope('inactive')
// @ts-expect-error a scope argument of the wrong type
User.query().scope('olderThan', 'thirty')
// @ts-expect-error a missing scope argument
User.query().scope('olderThan')
// @ts-expect-error an extra scope argument
User.query().scope('active', 1)
// @ts-expect-error a model without scopes offers none
Post.query().scope('active')

// Instance members.
const user = new User()
expectTypeOf(user.getDirty()).toMatchTypeOf<Partial<{ email: string; age: number | null }>>()
expectTypeOf(user.save()).resolves.toEqualTypeOf<boolean>()
expectTypeOf(user.toJSON().email).toEqualTypeOf<string>()
expectTypeOf(user.toJSON().posts).toEqualTypeOf<Array<ModelJSON<Post>> | undefined>()
expectTypeOf(user.fill({ email: 'x' })).toEqualTypeOf<User>()

// An abstract base with shared columns: subclasses get its columns, typed and checked.
abstract class Timestamped extends Model {
  @column.createdAt() declare createdAt: Date
  @column.updatedAt() declare updatedAt: Date
}
class Note extends Timestamped {
  @column.primary() declare id: number
  @column() declare body: string
}
expectTypeOf<ColumnName<Note>>().toEqualTypeOf<'createdAt' | 'updatedAt' | 'id' | 'body'>()
expectTypeOf(Note.find(1)).resolves.toEqualTypeOf<Note | null>()
Note.query().orderBy('createdAt', 'desc').where('body', 'like', '%x%')
// @ts-expect-error an unknown column on the subclass
Note.query().orderBy('title')
