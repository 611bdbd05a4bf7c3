import { QuarryError } from '../../errors/index.js'
import type { Model } from '../../model/model.js'
import { requiredValue, setColumn } from '../relation.js'
import { describeValue } from '../describe-value.js'
import { RelationClient } from '../relation-client.js'
import type { BelongsTo } from './belongs-to.js'

/** Writes through a belongsTo relation of one child: point it at an owner, or at none. */
export class BelongsToClient extends RelationClient {
  constructor(
    protected override readonly relation: BelongsTo,
    child: Model,
  ) {
    super(relation, child)
  }

  /** `await post.related('author').associate(user)`: sets the foreign key, saves the post, and sets `post.author`. */
  override async associate(owner: Model): Promise<void> {
    const Related = this.relation.relatedClass()
    if (!(owner instanceof Related)) {
      throw new QuarryError(`${this.relation.label}: associate() expects a ${Related.name}, got ${describeValue(owner)}`)
    }
    setColumn(this.parent, this.relation.foreignKey, requiredValue(owner, this.relation.ownerKey, this.relation.label))
    await this.parent.save()
    ;(this.parent.$relationsStore ??= {})[this.relation.name] = owner
  }

  /** Clears the foreign key and saves; `post.author` is then null. */
  override async dissociate(): Promise<void> {
    setColumn(this.parent, this.relation.foreignKey, null)
    await this.parent.save()
    ;(this.parent.$relationsStore ??= {})[this.relation.name] = null
  }
}
