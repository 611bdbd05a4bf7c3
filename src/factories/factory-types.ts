import type { Faker } from '@faker-js/faker'
import type { ModelAttributes, RelationName } from '../model/types.js'
import type { PivotValues, RelatedModel, RelationKindOf } from '../relations/relation-types.js'

/**
 * What a definition, a state function and a sequence function receive.
 *
 * ```ts
 * defineFactory(User, ({ faker, sequence }) => ({ email: `user${sequence}@example.com`, name: faker.person.fullName() }))
 * ```
 */
export interface FactoryContext {
  /** The faker instance (loaded on first use; seeded by `Factory.seed(n)`). */
  readonly faker: Faker
  /** 1, 2, 3, …: the number of models this factory definition has built, this one included. */
  readonly sequence: number
  /** This model's position in the current `make`/`create`/`raw` call, from 0. */
  readonly index: number
}

/** The attributes a factory gives a model, by property. */
export type FactoryAttributes<M> = ModelAttributes<M>

/** The attributes every model of a factory starts from. */
export type FactoryDefinition<M> = (context: FactoryContext) => FactoryAttributes<M>

/** A state: attributes to merge, or a function of the attributes so far. */
export type StateDefinition<M> =
  | FactoryAttributes<M>
  | ((attributes: FactoryAttributes<M>, context: FactoryContext) => FactoryAttributes<M>)

/** One step of `sequence()`: attributes, or a function of the context. */
export type SequenceItem<M> = FactoryAttributes<M> | ((context: FactoryContext) => FactoryAttributes<M>)

/** Pivot values for `hasAttached`: the same for every parent, or worked out per parent. */
export type PivotInput<M> = PivotValues | ((parent: M) => PivotValues)

/** The relation kinds each of `has`, `for` and `hasAttached` takes. */
export interface LinkKinds {
  has: 'hasOne' | 'hasMany' | 'morphOne' | 'morphMany'
  for: 'belongsTo' | 'morphTo'
  hasAttached: 'belongsToMany' | 'morphToMany' | 'morphedByMany'
}

/**
 * The relations of `M` that `link` accepts for related model `R`: of the right kind (or declared
 * without a brand, `Post[]`) and holding `R`. `has(PostFactory, 'author')` does not compile.
 */
export type LinkRelation<M, Link extends keyof LinkKinds, R> = {
  [K in RelationName<M>]: RelationKindOf<M[K & keyof M]> extends LinkKinds[Link] | 'plain'
    ? [R] extends [RelatedModel<M[K & keyof M]>]
      ? K
      : never
    : never
}[RelationName<M>]

/** `make()`'s and `create()`'s value: one model, or an array after `count(n)`. */
export type OneOrMany<T, Many extends boolean> = Many extends true ? T[] : T
