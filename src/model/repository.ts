import type { Page } from '../query/paginators.js'
import { QuarryError } from '../errors/index.js'
import type { Model } from './model.js'
import type { ModelQuery } from './model-query.js'
import type { ModelAttributes, ScopesOf } from './types.js'

/**
 * Data access for one model, for code that takes it by injection. Extend it for custom queries:
 *
 * ```ts
 * class UserRepository extends Repository<typeof User> {
 *   active() { return this.query().scope('active') }
 * }
 * const users = new UserRepository(User)
 * await users.update(1, { name: 'Ada' })
 * ```
 */
export class Repository<C extends typeof Model> {
  constructor(readonly model: C) {
    if (typeof model !== 'function' || typeof (model as { query?: unknown }).query !== 'function') {
      throw new QuarryError('new Repository(Model) needs a model class')
    }
  }

  /** A fresh query over the model. */
  query(): ModelQuery<InstanceType<C>, ScopesOf<C>> {
    return this.model.query() as ModelQuery<InstanceType<C>, ScopesOf<C>>
  }

  find(id: unknown): Promise<InstanceType<C> | null> {
    return this.model.find(id) as Promise<InstanceType<C> | null>
  }

  findOrFail(id: unknown): Promise<InstanceType<C>> {
    return this.model.findOrFail(id) as Promise<InstanceType<C>>
  }

  all(): Promise<Array<InstanceType<C>>> {
    return this.query().get()
  }

  paginate(page = 1, perPage = 20): Promise<Page<InstanceType<C>>> {
    return this.query().paginate(page, perPage)
  }

  create(attributes: ModelAttributes<InstanceType<C>>): Promise<InstanceType<C>> {
    return this.model.create(attributes as never) as Promise<InstanceType<C>>
  }

  /** Loads the model, fills it (mass assignment rules apply) and saves; `ModelNotFoundError` when missing. */
  async update(id: unknown, attributes: ModelAttributes<InstanceType<C>>): Promise<InstanceType<C>> {
    const model = await this.findOrFail(id)
    ;(model as Model).fill(attributes as never)
    await (model as Model).save()
    return model
  }

  /** Deletes the model with this key (soft when it soft-deletes); `ModelNotFoundError` when missing. */
  async delete(id: unknown): Promise<boolean> {
    const model = await this.findOrFail(id)
    return (model as Model).delete()
  }
}
