import type { Faker } from '@faker-js/faker'
import { QuarryError } from '../errors/index.js'
import { Model } from '../model/model.js'
import { loadFaker, seedFaker, useFaker } from './faker-loader.js'
import { attributesAt, isFactory, makeModels, modelCount, settleLinks } from './factory-build.js'
import { createModels } from './factory-create.js'
import { checkLink, type LinkMethod, ownerAttributes } from './factory-links.js'
import { type AfterCallback, type Attrs, Counter, type FactorySpec, type Link } from './factory-spec.js'
import type { FactoryAttributes, LinkRelation, OneOrMany, PivotInput, SequenceItem, StateDefinition } from './factory-types.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFactory<R extends Model> = Factory<R, any, any>

/**
 * Builds models of one class with fake data, for tests and seeders. Made with `defineFactory`;
 * every method returns a new factory, so a factory can be shared and specialised freely.
 * `S` is the names of its states, `Many` whether `count()` was called.
 *
 * ```ts
 * const user = await UserFactory.create()                          // one User, saved
 * const admins = await UserFactory.apply('admin').count(3).create() // User[]
 * const draft = UserFactory.make({ name: 'Ada' })                  // unsaved
 * ```
 */
export class Factory<M extends Model, S extends string = never, Many extends boolean = false> {
  /** @internal */
  readonly $spec: FactorySpec

  /** @internal Use `defineFactory(Model, definition)`. */
  constructor(spec: FactorySpec) {
    this.$spec = spec
  }

  private with(change: Partial<FactorySpec>): this {
    return new Factory({ ...this.$spec, ...change }) as this
  }

  /**
   * Declares a named state: attributes merged over the definition's, or a function of them.
   * `apply(name)` uses it.
   *
   * ```ts
   * UserFactory.state('inactive', { active: false }).state('admin', (attrs, { faker }) => ({ role: 'admin' }))
   * ```
   */
  state<N extends string>(name: N, definition: StateDefinition<M>): Factory<M, S | N, Many> {
    const spec = this.$spec
    if (typeof name !== 'string' || !name) throw new QuarryError(`${spec.meta.name} factory: state() needs a name, got ${JSON.stringify(name)}`)
    if (spec.states.has(name)) throw new QuarryError(`${spec.meta.name} factory: the state "${name}" is already defined`)
    if (definition === null || (typeof definition !== 'object' && typeof definition !== 'function') || Array.isArray(definition)) {
      throw new QuarryError(`${spec.meta.name} factory: state "${name}" must be attributes or a function returning them`)
    }
    const states = new Map(spec.states).set(name, definition as StateDefinition<Model>)
    return new Factory<M, S | N, Many>({ ...spec, states })
  }

  /** Uses states, in order, on every model: `UserFactory.apply('admin', 'inactive').create()`. */
  apply(...states: S[]): this {
    const spec = this.$spec
    for (const name of states) {
      if (!spec.states.has(name)) {
        const known = [...spec.states.keys()]
        throw new QuarryError(
          `${spec.meta.name} factory has no state "${String(name)}"; ${known.length ? `its states are: ${known.join(', ')}` : 'it declares no states (add one with .state(name, attributes))'}`,
        )
      }
    }
    return this.with({ applied: [...spec.applied, ...states] })
  }

  /** Builds `n` models: `make()` and `create()` then give arrays. */
  count(n: number): Factory<M, S, true> {
    if (!Number.isInteger(n) || n < 0) throw new QuarryError(`${this.$spec.meta.name} factory: count() takes a whole number of at least 0, got ${String(n)}`)
    return new Factory<M, S, true>({ ...this.$spec, count: n })
  }

  /**
   * Attributes taken in turn, model after model:
   * `UserFactory.sequence({ active: true }, { active: false }).count(4)` alternates.
   */
  sequence(...items: Array<SequenceItem<M>>): this {
    if (!items.length) throw new QuarryError(`${this.$spec.meta.name} factory: sequence() needs at least one set of attributes`)
    for (const item of items) {
      if (item === null || (typeof item !== 'object' && typeof item !== 'function') || Array.isArray(item)) {
        throw new QuarryError(`${this.$spec.meta.name} factory: sequence() takes attributes or functions returning them`)
      }
    }
    return this.with({ sequence: items as Array<SequenceItem<Model>> })
  }

  /**
   * Creates children through a hasOne/hasMany/morphOne/morphMany relation of each model:
   * `UserFactory.has(PostFactory.count(3), 'posts')` gives each user three posts.
   */
  has<R extends Model>(factory: AnyFactory<R>, relation: LinkRelation<M, 'has', R>): this {
    const found = this.link(relation, 'has', factory)
    return this.with({ links: [...this.$spec.links, { method: 'has', relation: found, factory }] })
  }

  /**
   * Points each model at an owner through a belongsTo/morphTo relation: a factory (one owner is
   * created for the run) or an existing model. `PostFactory.for(UserFactory, 'author')`.
   */
  for<R extends Model>(owner: AnyFactory<R> | R, relation: LinkRelation<M, 'for', R>): this {
    const found = this.link(relation, 'for', owner)
    return this.with({ links: [...this.$spec.links, { method: 'for', relation: found, owner }] })
  }

  /**
   * Attaches related models through a belongsToMany/morphToMany/morphedByMany relation, with
   * pivot values (or a function of the parent giving them): created per parent by a factory,
   * or the given models. `UserFactory.hasAttached(RoleFactory.count(2), { grantedBy: 1 }, 'roles')`.
   */
  hasAttached<R extends Model>(related: AnyFactory<R> | R | readonly R[], pivot: PivotInput<M> | undefined, relation: LinkRelation<M, 'hasAttached', R>): this {
    const found = this.link(relation, 'hasAttached', related)
    const list: Link = related instanceof Factory
      ? { method: 'hasAttached', relation: found, related, pivot: pivot as PivotInput<Model> }
      : { method: 'hasAttached', relation: found, related: Array.isArray(related) ? [...related] : [related as Model], pivot: pivot as PivotInput<Model> }
    if (pivot !== undefined && pivot !== null && typeof pivot !== 'object' && typeof pivot !== 'function') {
      throw new QuarryError(`${found.label}: hasAttached() takes pivot values as an object (or a function of the parent), got ${typeof pivot}`)
    }
    return this.with({ links: [...this.$spec.links, list] })
  }

  /** Runs `callback` on each model once made (before it is saved, for `create()`). */
  afterMaking(callback: (model: M) => unknown): this {
    return this.with({ afterMaking: [...this.$spec.afterMaking, this.callback(callback, 'afterMaking')] })
  }

  /** Runs `callback` (awaited) on each model once created with its relations. */
  afterCreating(callback: (model: M) => unknown): this {
    return this.with({ afterCreating: [...this.$spec.afterCreating, this.callback(callback, 'afterCreating')] })
  }

  /**
   * The attributes the factory would give (no model made): `UserFactory.raw({ name: 'Ada' })`.
   * An owner given to `for()` as a model adds its key.
   */
  raw(overrides?: FactoryAttributes<M>): OneOrMany<FactoryAttributes<M>, Many> {
    const spec = this.$spec
    settleLinks(spec)
    // Owners given as saved models lend their keys; factories' owners are only made by make()/create().
    const owned: Attrs = {}
    for (const link of spec.links) {
      if (link.method === 'for' && !isFactory(link.owner)) Object.assign(owned, ownerAttributes(link.relation, link.owner, spec.meta))
    }
    const rows: Attrs[] = []
    for (let i = 0; i < modelCount(spec); i++) rows.push({ ...attributesAt(spec, i, overrides as Attrs | undefined), ...owned })
    return (spec.count === undefined ? rows[0] : rows) as OneOrMany<FactoryAttributes<M>, Many>
  }

  /** Unsaved models (owners and children made too, nothing written): `UserFactory.make({ name: 'Ada' })`. */
  make(overrides?: FactoryAttributes<M>): OneOrMany<M, Many> {
    const models = makeModels(this.$spec, overrides as Attrs | undefined)
    return (this.$spec.count === undefined ? models[0] : models) as OneOrMany<M, Many>
  }

  /**
   * Saved models, events firing as in `Model.create()`, their owners and children created too,
   * in one transaction. Where nothing listens for the model's create events and no
   * `afterCreating` is set, the rows go in batched inserts.
   */
  async create(overrides?: FactoryAttributes<M>): Promise<OneOrMany<M, Many>> {
    const models = await createModels(this.$spec, overrides as Attrs | undefined)
    return (this.$spec.count === undefined ? models[0] : models) as OneOrMany<M, Many>
  }

  /** Makes faker's data (and every factory's `sequence` count) start again from `seed`: reproducible runs. */
  static seed(seed: number): void {
    if (!Number.isInteger(seed)) throw new QuarryError(`Factory.seed() takes an integer, got ${String(seed)}`)
    seedFaker(seed)
    Counter.resetAll()
  }

  /** Uses another faker instance (a locale: `fakerDE`) in every factory. */
  static useFaker(faker: Faker): void {
    useFaker(faker)
  }

  /** Loads @faker-js/faker now (factories otherwise load it on first use); resolves to the instance. */
  static loadFaker(): Promise<Faker> {
    return loadFaker()
  }

  private link(relation: unknown, method: LinkMethod, target: unknown) {
    const found = checkLink(this.$spec.meta, relation, method)
    if (target instanceof Factory) return found
    const models = method === 'hasAttached' && Array.isArray(target) ? target : [target]
    if (method === 'has' || !models.length || models.some((m) => !(m instanceof Model))) {
      const takes = method === 'has' ? 'a factory' : method === 'hasAttached' ? 'a factory or models' : 'a factory or a model'
      throw new QuarryError(`${found.label}: ${method}() takes ${takes}, got ${describe(target)}`)
    }
    return found
  }

  private callback(callback: unknown, method: string): AfterCallback {
    if (typeof callback !== 'function') throw new QuarryError(`${this.$spec.meta.name} factory: ${method}() takes a function, got ${describe(callback)}`)
    return callback as AfterCallback
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return value.length ? 'an array of non-models' : 'an empty array'
  return typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value
}
