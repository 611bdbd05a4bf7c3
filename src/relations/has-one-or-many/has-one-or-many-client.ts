import { QuarryError } from '../../errors/index.js'
import { type Model, modelMetadata } from '../../model/model.js'
import { ModelAdapter } from '../../model/model-adapter.js'
import { describeValue } from '../describe-value.js'
import { RelationClient } from '../relation-client.js'
import type { HasOneOrMany } from './has-one-or-many.js'

/**
 * Writes through a hasOne / hasMany / morphOne / morphMany relation of one parent: the children
 * are saved with the foreign key (and the morph type) pointing at the parent.
 */
export class HasOneOrManyClient extends RelationClient {
  constructor(
    protected override readonly relation: HasOneOrMany,
    parent: Model,
  ) {
    super(relation, parent)
  }

  /** `await user.related('posts').create({ title: 'x' })`: fills (mass assignment rules apply), points and saves. */
  override async create(attributes: object): Promise<Model> {
    if (attributes === null || typeof attributes !== 'object') throw new QuarryError(`${this.relation.label}: create() expects an object of attributes`)
    const child = this.relation.make()
    child.fill(attributes)
    this.relation.point(child, this.parent)
    await child.save()
    return child
  }

  /** Creates several children in one transaction. */
  override async createMany(rows: readonly object[]): Promise<Model[]> {
    if (!Array.isArray(rows)) throw new QuarryError(`${this.relation.label}: createMany() expects an array`)
    return this.inTransaction(async () => {
      const out: Model[] = []
      for (const row of rows) out.push(await this.create(row))
      return out
    })
  }

  /** Points an existing (or new) model at the parent and saves it. */
  override async save(child: Model): Promise<Model> {
    this.check(child)
    this.relation.point(child, this.parent)
    await child.save()
    return child
  }

  /** Saves several children in one transaction. */
  override async saveMany(children: readonly Model[]): Promise<Model[]> {
    if (!Array.isArray(children)) throw new QuarryError(`${this.relation.label}: saveMany() expects an array`)
    children.forEach((child) => this.check(child))
    return this.inTransaction(async () => {
      for (const child of children) await this.save(child)
      return [...children]
    })
  }

  private check(child: Model): void {
    const Related = this.relation.relatedClass()
    if (!(child instanceof Related)) {
      throw new QuarryError(`${this.relation.label}: save() expects a ${Related.name}, got ${describeValue(child)}`)
    }
  }

  private inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return ModelAdapter.connection(modelMetadata(this.relation.relatedClass())).transaction(fn)
  }
}
