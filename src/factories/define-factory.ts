import { QuarryError } from '../errors/index.js'
import { Model, modelMetadata } from '../model/model.js'
import type { ModelClass } from '../relations/morph-map.js'
import { Factory } from './factory.js'
import { Counter } from './factory-spec.js'
import type { FactoryDefinition } from './factory-types.js'

/**
 * A factory for `ModelClass`: `definition` gives each model's attributes (faker is at hand, and a
 * `sequence` number that counts the models built). Attributes are assigned without the mass
 * assignment rules (as trusted data), but every key must be a column of the model.
 *
 * ```ts
 * export const UserFactory = defineFactory(User, ({ faker, sequence }) => ({
 *   email: `user${sequence}@example.com`,
 *   name: faker.person.fullName(),
 * })).state('inactive', { active: false })
 * ```
 */
export function defineFactory<T extends typeof Model>(ModelClass: T, definition: FactoryDefinition<InstanceType<T>>): Factory<InstanceType<T>> {
  if (typeof ModelClass !== 'function' || !(ModelClass.prototype instanceof Model)) {
    throw new QuarryError(`defineFactory() takes a model class (a subclass of Model), got ${ModelClass === null ? 'null' : typeof ModelClass === 'function' ? (ModelClass as { name: string }).name || 'a function' : typeof ModelClass}`)
  }
  const meta = modelMetadata(ModelClass)
  if (typeof definition !== 'function') {
    throw new QuarryError(`defineFactory(${meta.name}, definition): the definition must be a function returning attributes, got ${definition === null ? 'null' : typeof definition}`)
  }
  return new Factory<InstanceType<T>>({
    Model: ModelClass as ModelClass,
    meta,
    definition: definition as unknown as FactoryDefinition<Model>,
    states: new Map(),
    applied: [],
    count: undefined,
    sequence: [],
    links: [],
    afterMaking: [],
    afterCreating: [],
    counter: new Counter(),
  })
}
