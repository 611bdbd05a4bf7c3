import { QuarryError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import { registerRelation } from '../model/model-metadata.js'
import { BelongsTo, type BelongsToOptions } from './belongs-to/belongs-to.js'
import { BelongsToMany, type BelongsToManyOptions } from './belongs-to-many/belongs-to-many.js'
import { HasOneOrMany, type HasOneOrManyOptions, type MorphOneOrManyOptions } from './has-one-or-many/has-one-or-many.js'
import { declareMorphTarget, type ModelClass } from './morph-map.js'
import { MorphTo, type MorphToOptions } from './morph-to/morph-to.js'
import type { Relation } from './relation.js'
import type { KeyName, TypedRelationDecorator } from './decorator-types.js'
import { HasManyThrough, type ThroughOptions } from './through/has-many-through.js'

/** A legacy (`experimentalDecorators`) property decorator, as the relation decorators return. */
export type RelationDecorator = (target: object, property: string | symbol) => void

/** The related model, given lazily: `() => Post` (the class may be declared further down the file). */
export type RelatedThunk<M extends Model = Model> = () => abstract new () => M

function thunk(related: unknown, decorator: string): () => ModelClass {
  if (typeof related !== 'function') throw new QuarryError(`@${decorator}() expects the related model as a function: @${decorator}(() => Post)`)
  return () => {
    const Class = (related as () => unknown)()
    if (typeof Class !== 'function' || typeof (Class as ModelClass).query !== 'function') {
      throw new QuarryError(`@${decorator}(() => …) must return a model class, got ${Class === undefined ? 'undefined (is the class declared yet?)' : typeof Class}`)
    }
    return Class as ModelClass
  }
}

function options<T extends object>(given: T | undefined, decorator: string): T {
  if (given === undefined) return {} as T
  if (given === null || typeof given !== 'object') throw new QuarryError(`@${decorator}() options must be an object`)
  return given
}

function morphName(name: unknown, decorator: string): string {
  if (typeof name !== 'string' || !name) throw new QuarryError(`@${decorator}(() => Model, name): name the morph relation, e.g. 'commentable'`)
  return name
}

/** Registers the relation `make` builds for the decorated property. */
function declare(decorator: string, make: (owner: ModelClass, property: string) => Relation): RelationDecorator {
  return (target, property) => {
    if (typeof property !== 'string') throw new QuarryError(`@${decorator}() needs a string property name`)
    if (typeof target === 'function') throw new QuarryError(`@${decorator}() cannot decorate the static ${property}`)
    const owner = (target as { constructor: ModelClass }).constructor
    registerRelation(owner, property, make(owner, property))
  }
}

/**
 * One related row holding this model's key: `@hasOne(() => Profile) declare profile: HasOne<Profile>`
 * (`profiles.user_id` by default).
 */
export function hasOne<R extends Model, L extends string = never>(
  related: RelatedThunk<R>,
  settings?: HasOneOrManyOptions & { foreignKey?: KeyName<R>; localKey?: L },
): TypedRelationDecorator<'hasOne', R, L> {
  const Related = thunk(related, 'hasOne')
  const given = options(settings, 'hasOne')
  return declare('hasOne', (owner, name) => new HasOneOrMany(owner, name, 'hasOne', Related, given))
}

/**
 * Related rows holding this model's key: `@hasMany(() => Post, { foreignKey: 'authorId' }) declare posts: HasMany<Post>`
 * (`posts.user_id` by default for a User).
 */
export function hasMany<R extends Model, L extends string = never>(
  related: RelatedThunk<R>,
  settings?: HasOneOrManyOptions & { foreignKey?: KeyName<R>; localKey?: L },
): TypedRelationDecorator<'hasMany', R, L> {
  const Related = thunk(related, 'hasMany')
  const given = options(settings, 'hasMany')
  return declare('hasMany', (owner, name) => new HasOneOrMany(owner, name, 'hasMany', Related, given))
}

/**
 * The owner whose key this model holds: `@belongsTo(() => User) declare author: BelongsTo<User>`
 * (`author_id` by default, from the relation's name).
 */
export function belongsTo<R extends Model, F extends string = never>(
  related: RelatedThunk<R>,
  settings?: BelongsToOptions & { foreignKey?: F; ownerKey?: KeyName<R> },
): TypedRelationDecorator<'belongsTo', R, F> {
  const Related = thunk(related, 'belongsTo')
  const given = options(settings, 'belongsTo')
  return declare('belongsTo', (owner, name) => new BelongsTo(owner, name, Related, given))
}

/** One related row holding this model's key and type: `@morphOne(() => Image, 'imageable') declare image: MorphOne<Image>`. */
export function morphOne<R extends Model, L extends string = never>(
  related: RelatedThunk<R>,
  name: string,
  settings?: MorphOneOrManyOptions & { foreignKey?: KeyName<R>; typeKey?: KeyName<R>; localKey?: L },
): TypedRelationDecorator<'morphOne', R, L> {
  const Related = thunk(related, 'morphOne')
  const morph = morphName(name, 'morphOne')
  const given = options(settings, 'morphOne')
  return declare('morphOne', (owner, property) => {
    declareMorphTarget(morph, () => owner, Related)
    return new HasOneOrMany(owner, property, 'morphOne', Related, given, morph)
  })
}

/** Related rows holding this model's key and type: `@morphMany(() => Comment, 'commentable') declare comments: MorphMany<Comment>`. */
export function morphMany<R extends Model, L extends string = never>(
  related: RelatedThunk<R>,
  name: string,
  settings?: MorphOneOrManyOptions & { foreignKey?: KeyName<R>; typeKey?: KeyName<R>; localKey?: L },
): TypedRelationDecorator<'morphMany', R, L> {
  const Related = thunk(related, 'morphMany')
  const morph = morphName(name, 'morphMany')
  const given = options(settings, 'morphMany')
  return declare('morphMany', (owner, property) => {
    declareMorphTarget(morph, () => owner, Related)
    return new HasOneOrMany(owner, property, 'morphMany', Related, given, morph)
  })
}

/**
 * Many-to-many through a pivot table: `@belongsToMany(() => Role, { pivotColumns: ['grantedBy'], pivotTimestamps: true }) declare roles: BelongsToMany<Role>`
 * (pivot `role_user` with `user_id` and `role_id` by default).
 */
export function belongsToMany<R extends Model, C extends string = never, L extends string = never>(
  related: RelatedThunk<R>,
  settings?: BelongsToManyOptions & { pivotColumns?: readonly C[]; localKey?: L; relatedKey?: KeyName<R> },
): TypedRelationDecorator<'belongsToMany', R, L, C> {
  const Related = thunk(related, 'belongsToMany')
  const given = options(settings, 'belongsToMany')
  return declare('belongsToMany', (owner, name) => new BelongsToMany(owner, name, 'belongsToMany', Related, given))
}

/**
 * Many-to-many where this model is the polymorphic side: `@morphToMany(() => Tag, 'taggable') declare tags: MorphToMany<Tag>`
 * (pivot `taggables`: `taggable_type`, `taggable_id`, `tag_id`).
 */
export function morphToMany<R extends Model, C extends string = never, L extends string = never>(
  related: RelatedThunk<R>,
  name: string,
  settings?: BelongsToManyOptions & { pivotColumns?: readonly C[]; localKey?: L; relatedKey?: KeyName<R> },
): TypedRelationDecorator<'morphToMany', R, L, C> {
  const Related = thunk(related, 'morphToMany')
  const morph = morphName(name, 'morphToMany')
  const given = options(settings, 'morphToMany')
  return declare('morphToMany', (owner, property) => new BelongsToMany(owner, property, 'morphToMany', Related, given, morph))
}

/**
 * The inverse of morphToMany: `@morphedByMany(() => Post, 'taggable') declare posts: MorphedByMany<Post>` on Tag.
 */
export function morphedByMany<R extends Model, C extends string = never, L extends string = never>(
  related: RelatedThunk<R>,
  name: string,
  settings?: BelongsToManyOptions & { pivotColumns?: readonly C[]; localKey?: L; relatedKey?: KeyName<R> },
): TypedRelationDecorator<'morphedByMany', R, L, C> {
  const Related = thunk(related, 'morphedByMany')
  const morph = morphName(name, 'morphedByMany')
  const given = options(settings, 'morphedByMany')
  return declare('morphedByMany', (owner, property) => new BelongsToMany(owner, property, 'morphedByMany', Related, given, morph))
}

/**
 * Rows of a far model through an intermediate one: `@hasManyThrough(() => Post, () => User) declare posts: HasManyThrough<Post>`
 * on Country (`users.country_id`, `posts.user_id` by default).
 */
export function hasManyThrough<R extends Model, T extends Model, L extends string = never>(
  far: RelatedThunk<R>,
  through: RelatedThunk<T>,
  settings?: ThroughOptions & { foreignKey?: KeyName<T>; throughForeignKey?: KeyName<R>; throughLocalKey?: KeyName<T>; localKey?: L },
): TypedRelationDecorator<'hasManyThrough', R, L> {
  const Far = thunk(far, 'hasManyThrough')
  const Through = thunk(through, 'hasManyThrough')
  const given = options(settings, 'hasManyThrough')
  return declare('hasManyThrough', (owner, name) => new HasManyThrough(owner, name, 'hasManyThrough', Far, Through, given))
}

/** One row of a far model through an intermediate one: `@hasOneThrough(() => Owner, () => Car) declare carOwner: HasOneThrough<Owner>`. */
export function hasOneThrough<R extends Model, T extends Model, L extends string = never>(
  far: RelatedThunk<R>,
  through: RelatedThunk<T>,
  settings?: ThroughOptions & { foreignKey?: KeyName<T>; throughForeignKey?: KeyName<R>; throughLocalKey?: KeyName<T>; localKey?: L },
): TypedRelationDecorator<'hasOneThrough', R, L> {
  const Far = thunk(far, 'hasOneThrough')
  const Through = thunk(through, 'hasOneThrough')
  const given = options(settings, 'hasOneThrough')
  return declare('hasOneThrough', (owner, name) => new HasManyThrough(owner, name, 'hasOneThrough', Far, Through, given))
}

/**
 * The polymorphic owner of this model: `@morphTo() declare commentable: MorphTo<Post | Video>`
 * (`commentable_type` and `commentable_id` by default, from the property's name).
 */
export function morphTo(settings?: MorphToOptions): RelationDecorator {
  const given = options(settings, 'morphTo')
  return declare('morphTo', (owner, name) => new MorphTo(owner, name, given))
}
