import { dirtyColumns } from '../model/dirty.js'
import type { Model } from '../model/model.js'
import { ModelAdapter } from '../model/model-adapter.js'
import type { ModelMetadata } from '../model/model-metadata.js'
import { BelongsTo } from './belongs-to/belongs-to.js'
import { mapKey } from './keys.js'
import type { MorphTo } from './morph-to/morph-to.js'
import { writeHooks } from './write-hooks.js'

/**
 * Wraps the action of a save (or delete) step so that, when it wrote something, the owners of
 * the model's `touches: true` relations are touched through the ORM (`owner.touch()`: their
 * `updatedAt` moves, their events fire, their own touches follow), in one transaction with the
 * write. Without such relations the action is returned as it is.
 */
export function touching(model: Model, meta: ModelMetadata, action: () => Promise<boolean>, deleting = false): () => Promise<boolean> {
  const { touches } = writeHooks(meta)
  if (!touches.length) return action
  return () => {
    // Decided when the step runs (after its -ing handlers, which may change attributes).
    if (!deleting && model.$isPersisted && !dirtyColumns(model, meta).length) return action()
    return ModelAdapter.connection(meta).transaction(async () => {
      const done = await action()
      if (done) for (const relation of touches) await touchOwner(model, relation)
      return done
    })
  }
}

async function touchOwner(child: Model, relation: BelongsTo | MorphTo): Promise<void> {
  const owner = loadedOwner(child, relation) ?? (await ownerQuery(child, relation))
  if (owner) await owner.touch()
}

function ownerQuery(child: Model, relation: BelongsTo | MorphTo): Promise<Model | null> | null {
  if (relation instanceof BelongsTo) {
    const key = child.$attributes[relation.foreignKey]
    return key === null || key === undefined ? null : relation.queryFor(child).first()
  }
  const type = child.$attributes[relation.typeColumn]
  const key = child.$attributes[relation.idColumn]
  return type === null || type === undefined || key === null || key === undefined ? null : relation.queryFor(child).first()
}

/** The owner instance the child holds, when it is the one its keys point at (so that instance is updated too). */
function loadedOwner(child: Model, relation: BelongsTo | MorphTo): Model | undefined {
  const loaded = child.$relationsStore?.[relation.name] as Model | null | undefined
  if (!loaded) return undefined
  if (relation instanceof BelongsTo) {
    return String(mapKey(loaded.$attributes[relation.ownerKey])) === String(mapKey(child.$attributes[relation.foreignKey])) ? loaded : undefined
  }
  const Class = loaded.constructor as typeof Model
  const sameClass = relation.classFor(child.$attributes[relation.typeColumn]) === Class
  return sameClass && String(mapKey(loaded.$attributes[relation.ownerKey(Class)])) === String(mapKey(child.$attributes[relation.idColumn])) ? loaded : undefined
}
