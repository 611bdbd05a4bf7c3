import { QuarryError } from '../errors/index.js'
import type { Model } from './model.js'
import type { ModelMetadata } from './model-metadata.js'
import { ModelQuery } from './model-query.js'

/** Options of `Model.prune()`. */
export interface PruneOptions {
  /** Rows read (or deleted, with `massPrunable`) per statement; default 1000. */
  chunkSize?: number
  /** Told how many rows each chunk removed (the CLI prints progress with it). */
  onChunk?: (pruned: number) => void
}

/** What a prunable model class declares. */
interface PrunableClass {
  name: string
  prunable?: unknown
  massPrunable?: unknown
  query(): ModelQuery<Model>
}

interface PruningModel extends Model {
  pruning?: () => unknown
}

/** Whether a model class declares `static prunable`. */
export function isPrunable(ctor: unknown): boolean {
  return typeof (ctor as PrunableClass | null)?.prunable === 'function'
}

/**
 * The rows `static prunable` selects, soft-deleted ones included: `(q) => q.where(…)` may add to
 * the query it is given or return another query of the same model.
 */
export function prunableQuery(ctor: PrunableClass, meta: ModelMetadata): ModelQuery<Model> {
  const rule = ctor.prunable
  if (typeof rule !== 'function') {
    throw new QuarryError(`${meta.name} is not prunable: declare static prunable = (q) => q.where('createdAt', '<', cutoff)`)
  }
  const base = ctor.query()
  const returned: unknown = rule(base)
  if (returned !== undefined && !(returned instanceof ModelQuery)) {
    throw new QuarryError(`${meta.name}.prunable must return the query it was given (or nothing), got ${typeof returned}`)
  }
  const query = (returned as ModelQuery<Model> | undefined) ?? base
  if ((query as unknown as { meta: ModelMetadata }).meta !== meta) {
    throw new QuarryError(`${meta.name}.prunable returned a query of another model`)
  }
  return meta.deletedAt ? query.withTrashed() : query
}

/**
 * Deletes the rows `static prunable` selects, in chunks ordered by primary key (every statement
 * bounded, whatever the row count). Each model is deleted through the model — `pruning()` on it
 * first when it has one, then `delete()` (`forceDelete()` when it soft-deletes), its events
 * firing — unless the class sets `static massPrunable = true`: then each chunk is one `DELETE`,
 * without events. Resolves to the number of rows removed.
 */
export async function pruneModel(ctor: PrunableClass, meta: ModelMetadata, options: PruneOptions = {}): Promise<number> {
  const chunkSize = options.chunkSize ?? 1000
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new QuarryError(`${meta.name}.prune(): chunkSize must be a whole number of at least 1, got ${String(chunkSize)}`)
  }
  const query = prunableQuery(ctor, meta)
  if (meta.primaryKey.length !== 1) {
    throw new QuarryError(`${meta.name}.prune() needs a single-column primary key to walk the rows in chunks; it has ${meta.primaryKey.length || 'none'}`)
  }
  const key = meta.primaryKey[0]!.column as never
  const mass = ctor.massPrunable === true
  let total = 0
  let last: unknown
  for (;;) {
    const page = query.clone()
    if (last !== undefined) page.where(key, '>', last as never)
    page.orderBy(key).limit(chunkSize)
    let found: number
    let removed = 0
    if (mass) {
      const keys = (await page.pluck(key)) as never[]
      found = keys.length
      if (!found) break
      last = keys[found - 1]
      // The rule again, in case a row stopped matching since it was read.
      removed = await query.clone().whereIn(key, keys).forceDelete()
    } else {
      const models = (await page.get()) as PruningModel[]
      found = models.length
      if (!found) break
      last = models[found - 1]!.$attributes[meta.primaryKey[0]!.column]
      for (const model of models) {
        if (typeof model.pruning === 'function') await model.pruning()
        if (await (meta.deletedAt ? model.forceDelete() : model.delete())) removed++
      }
    }
    total += removed
    options.onChunk?.(removed)
    if (found < chunkSize) break
  }
  return total
}
