import { QuarryError } from '../../errors/index.js'
import { Model } from '../../model/model.js'
import { describeValue } from '../describe-value.js'
import { type ModelClass, morphName } from '../morph-map.js'
import { requiredValue, setColumn } from '../relation.js'
import { RelationClient } from '../relation-client.js'
import type { MorphTo } from './morph-to.js'

/** Writes through a morphTo relation of one child: the type name and the key, set together. */
export class MorphToClient extends RelationClient {
  constructor(
    protected override readonly relation: MorphTo,
    child: Model,
  ) {
    super(relation, child)
  }

  /** `await comment.related('commentable').associate(video)`: type and key set, the comment saved. */
  override async associate(owner: Model): Promise<void> {
    if (!(owner instanceof Model)) throw new QuarryError(`${this.relation.label}: associate() expects a model, got ${describeValue(owner)}`)
    const Class = owner.constructor as ModelClass
    setColumn(this.parent, this.relation.idColumn, requiredValue(owner, this.relation.ownerKey(Class), this.relation.label))
    setColumn(this.parent, this.relation.typeColumn, morphName(Class))
    await this.parent.save()
    ;(this.parent.$relationsStore ??= {})[this.relation.name] = owner
  }

  /** Clears the type and the key and saves. */
  override async dissociate(): Promise<void> {
    setColumn(this.parent, this.relation.idColumn, null)
    setColumn(this.parent, this.relation.typeColumn, null)
    await this.parent.save()
    ;(this.parent.$relationsStore ??= {})[this.relation.name] = null
  }
}
