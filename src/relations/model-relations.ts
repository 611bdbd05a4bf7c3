import { QuarryError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import { eagerLoad } from './eager/eager-loader.js'
import { eagerRequests, eagerTree } from './eager/eager-tree.js'
import type { RelationClient } from './relation-client.js'
import { relationOf } from './relation-lookup.js'

/**
 * `model.load(...)` and `Model.loadMissing(models, ...)`: the relations loaded onto models already
 * in hand, one query per relation per level for all of them. `onlyMissing` skips the parents that
 * already hold a relation (and completes the levels below on what they hold).
 */
export async function loadRelations(models: readonly Model[], args: readonly unknown[], onlyMissing: boolean, method: string): Promise<void> {
  if (!Array.isArray(models)) throw new QuarryError(`${method}() expects an array of models`)
  if (!models.length) return
  const first = models[0]
  if (!first || typeof first.$meta !== 'object') throw new QuarryError(`${method}() expects models`)
  const requests = eagerRequests(first.$meta, args, method)
  await eagerLoad(models, eagerTree(requests), onlyMissing)
}

/** `model.related(name)`: the client of one relation of one model. */
export function relatedClient(model: Model, name: string): RelationClient {
  return relationOf(model.$meta, name).client(model)
}
