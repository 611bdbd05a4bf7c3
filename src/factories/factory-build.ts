import type { Faker } from '@faker-js/faker'
import { QuarryError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import type { Relation } from '../relations/relation.js'
import { fakerNow } from './faker-loader.js'
import { checkOwnerModel, holdsOne, ownerAttributes, settle } from './factory-links.js'
import type { Attrs, FactorySpec, LinkedFactory } from './factory-spec.js'
import type { FactoryContext } from './factory-types.js'

/** How many models a run of `spec` builds. */
export function modelCount(spec: FactorySpec): number {
  return spec.count ?? 1
}

function context(spec: FactorySpec, index: number): FactoryContext {
  const sequence = spec.counter.next()
  return {
    get faker(): Faker {
      return fakerNow()
    },
    sequence,
    index,
  }
}

function checked(value: unknown, spec: FactorySpec, what: string): Attrs {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new QuarryError(`${spec.meta.name} factory: ${what} must return an object of attributes, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`)
  }
  if (typeof (value as PromiseLike<unknown>).then === 'function') {
    throw new QuarryError(`${spec.meta.name} factory: ${what} returned a promise; definitions, states and sequences are synchronous (use afterMaking/afterCreating for async work)`)
  }
  return value as Attrs
}

/**
 * The attributes of the model at `index`: the definition, then each applied state in order, then
 * the sequence's step for this index, then `overrides`.
 */
export function attributesAt(spec: FactorySpec, index: number, overrides: Attrs | undefined): Attrs {
  const ctx = context(spec, index)
  let attributes = { ...checked(spec.definition(ctx), spec, 'the definition') }
  for (const name of spec.applied) {
    const state = spec.states.get(name)!
    const value = typeof state === 'function' ? state(attributes, ctx) : state
    attributes = { ...attributes, ...checked(value, spec, `state "${name}"`) }
  }
  if (spec.sequence.length) {
    const step = spec.sequence[index % spec.sequence.length]!
    attributes = { ...attributes, ...checked(typeof step === 'function' ? step(ctx) : step, spec, 'sequence()') }
  }
  if (overrides !== undefined) attributes = { ...attributes, ...checked(overrides, spec, 'overrides') }
  return attributes
}

/** An owner every model of one run points at (`for()`), already made or created. */
export interface Owner {
  readonly relation: Relation
  readonly model: Model
}

/**
 * Builds `groups.length × count` unsaved models: each group's attributes (the keys a parent's
 * `has()` sets) come after the overrides, the owners' keys after those; each model holds its
 * owners as loaded relations. `afterMaking` callbacks run on each; their promises are returned
 * for `create()` to await (`make()` refuses them).
 */
export function buildModels(spec: FactorySpec, overrides: Attrs | undefined, groups: readonly Attrs[], owners: readonly Owner[]): { models: Model[]; pending: Array<PromiseLike<unknown>> } {
  const models: Model[] = []
  const pending: Array<PromiseLike<unknown>> = []
  const perGroup = modelCount(spec)
  let index = 0
  for (const forced of groups) {
    for (let i = 0; i < perGroup; i++, index++) {
      const model = new spec.Model()
      model.merge({ ...attributesAt(spec, index, overrides), ...forced } as never)
      for (const owner of owners) {
        model.merge(ownerAttributes(owner.relation, owner.model, spec.meta) as never)
        model.$relations[owner.relation.name] = owner.model
      }
      for (const callback of spec.afterMaking) {
        const result = callback(model)
        if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') pending.push(result as PromiseLike<unknown>)
      }
      models.push(model)
    }
  }
  return { models, pending }
}

/** Whether a link holds a factory (rather than models). */
export function isFactory(value: unknown): value is LinkedFactory {
  return typeof value === 'object' && value !== null && '$spec' in value
}

/** Settles each link's relation and checks it holds the linked factory's (or models') class. */
export function settleLinks(spec: FactorySpec): void {
  for (const link of spec.links) {
    const target = link.method === 'has' ? link.factory : link.method === 'for' ? link.owner : link.related
    const Related = isFactory(target) ? target.$spec.Model : undefined
    settle(link.relation, Related, link.method)
    if (!isFactory(target)) {
      const given = link.method === 'for' ? [target] : (target as readonly Model[])
      for (const model of given) checkOwnerModel(link.relation, model, false, link.method)
    }
  }
}

/** `make()`: the models, their owners and children made too, nothing saved. */
export function makeModels(spec: FactorySpec, overrides: Attrs | undefined): Model[] {
  settleLinks(spec)
  const owners: Owner[] = []
  for (const link of spec.links) {
    if (link.method !== 'for') continue
    const model = isFactory(link.owner) ? makeModels(link.owner.$spec, undefined)[0] : link.owner
    if (model) owners.push({ relation: link.relation, model })
  }
  const { models, pending } = buildModels(spec, overrides, [{}], owners)
  if (pending.length) {
    throw new QuarryError(`${spec.meta.name} factory: an afterMaking callback returned a promise, which make() cannot wait for; use create(), or make the callback synchronous`)
  }
  for (const link of spec.links) {
    if (link.method === 'for') continue
    const source = link.method === 'has' ? link.factory : link.related
    for (const parent of models) {
      const related = isFactory(source) ? makeModels(source.$spec, undefined) : [...source]
      parent.$relations[link.relation.name] = holdsOne(link.relation) ? (related[0] ?? null) : related
    }
  }
  return models
}
