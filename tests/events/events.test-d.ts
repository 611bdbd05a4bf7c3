// Type tests for model events, checked by `tsc --noEmit` (part of `npm test`). Each
// `@ts-expect-error` fails the check if the line it guards starts to compile.
import { expectTypeOf } from 'vitest'
import { column, Model, type ModelEventName, type ModelObserver, table } from '../../src/index.js'

@table('typed_users')
class TypedUser extends Model {
  @column.primary() declare id: number
  @column() declare email: string
}

@table('typed_posts')
class TypedPost extends Model {
  @column.primary() declare id: number
  @column() declare title: string
}

// Handlers get the class they are registered on.
TypedUser.on('creating', (user) => {
  expectTypeOf(user).toEqualTypeOf<TypedUser>()
  user.email = user.email.toLowerCase()
})
TypedPost.on('saved', async (post) => {
  expectTypeOf(post).toEqualTypeOf<TypedPost>()
})
Model.on('saved', (model) => {
  expectTypeOf(model).toEqualTypeOf<Model>()
})
// -ing handlers may return false (or a promise of it) to cancel.
TypedUser.on('deleting', (user) => user.id !== 1)
TypedUser.on('updating', async () => false)

// on() returns its unsubscribe; off() says whether it removed anything.
const off = TypedUser.on('created', () => {})
expectTypeOf(off).toEqualTypeOf<() => void>()
expectTypeOf(TypedUser.off('created', () => {})).toEqualTypeOf<boolean>()

// A misspelt event does not compile.
// @ts-expect-error 'creatd' is not an event
TypedUser.on('creatd', () => {})
// @ts-expect-error 'save' is a method, not an event
TypedUser.off('save', () => {})
// @ts-expect-error events are named in camelCase
Model.on('force_deleted', () => {})

// A handler for another model's instances does not fit.
// @ts-expect-error a TypedPost handler on TypedUser
TypedUser.on('created', (post: TypedPost) => post.title)
// @ts-expect-error the handler receives a TypedUser, which has no title
TypedUser.on('created', (user) => user.title)

expectTypeOf<'retrieved' | 'forceDeleted'>().toExtend<ModelEventName>()

// Observers: methods typed with the model; misspelt methods rejected on object literals.
TypedUser.observe({
  afterCommit: true,
  created: (user) => expectTypeOf(user).toEqualTypeOf<TypedUser>(),
})
TypedUser.observe({
  // @ts-expect-error 'crated' is not an event
  crated: () => {},
})
class PostObserver implements ModelObserver<TypedPost> {
  afterCommit = true
  saved(post: TypedPost) {
    return post.title
  }
}
TypedPost.observe(new PostObserver())
TypedPost.observe(PostObserver)
// @ts-expect-error a TypedPost observer on TypedUser
TypedUser.observe(new PostObserver())
// @ts-expect-error afterCommit is a boolean
TypedUser.observe({ afterCommit: 'yes', created: () => {} })

// withoutEvents resolves to the callback's value; the quiet instance methods resolve to booleans.
expectTypeOf(TypedUser.withoutEvents(async () => 42)).toEqualTypeOf<Promise<number>>()
expectTypeOf(TypedUser.withoutEvents(() => 'sync')).toEqualTypeOf<Promise<string>>()
expectTypeOf(new TypedUser().saveQuietly()).toEqualTypeOf<Promise<boolean>>()
expectTypeOf(new TypedUser().deleteQuietly()).toEqualTypeOf<Promise<boolean>>()
