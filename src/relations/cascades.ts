import { captureState, restoreState } from '../events/model-state.js'
import { type Model, modelMetadata } from '../model/model.js'
import { ModelAdapter } from '../model/model-adapter.js'
import type { ModelMetadata } from '../model/model-metadata.js'
import { queryOf } from './relation.js'
import { BelongsToMany } from './belongs-to-many/belongs-to-many.js'
import type { HasOneOrMany } from './has-one-or-many/has-one-or-many.js'
import { atDeletionTime, CascadeCancelled, writeHooks } from './write-hooks.js'

/**
 * What a write does to the parent: `soft`-deletes it, removes it for good (`force`: a
 * `forceDelete()`, or `delete()` of a model without soft deletes), or `restore`s it.
 */
export type CascadeMode = 'soft' | 'force' | 'restore'

/**
 * Wraps the action of a delete/forceDelete/restore step with the cascades of the model's
 * relations (`onDelete: 'cascade'`), all in one transaction: the children are loaded and each is
 * deleted (soft-deleted, restored) through the ORM — their events fire, their own cascades run —
 * before the parent's own write. Soft deletes of the whole tree share one timestamp; restoring
 * the parent restores exactly the children whose `deletedAt` equals the parent's stored one.
 * A failure anywhere rolls everything back and leaves the parent instance as it was; a child's
 * event handler cancelling its write cancels the whole step (resolves `false`). Without cascades
 * the action is returned as it is.
 */
export function cascading(model: Model, meta: ModelMetadata, mode: CascadeMode, action: () => Promise<boolean>): () => Promise<boolean> {
  const { cascades } = writeHooks(meta)
  if (!cascades.length) return action
  return async () => {
    const before = captureState(model)
    try {
      return await ModelAdapter.connection(meta).transaction(() =>
        mode === 'restore'
          ? restoreChildren(model, meta, cascades).then(action)
          : atDeletionTime(new Date(), () => deleteChildren(model, cascades, mode).then(action)),
      )
    } catch (error) {
      restoreState(model, before)
      if (error instanceof CascadeCancelled) return false
      throw error
    }
  }
}

async function deleteChildren(parent: Model, relations: ReadonlyArray<HasOneOrMany | BelongsToMany>, mode: 'soft' | 'force'): Promise<void> {
  for (const relation of relations) {
    if (relation instanceof BelongsToMany) {
      // Many-to-many: the pivot rows go with the parent's row; the related models stay.
      if (mode === 'force') await relation.client(parent).detach()
      continue
    }
    const soft = modelMetadata(relation.relatedClass()).deletedAt !== undefined
    // Children that cannot be soft-deleted stay while the parent is only soft-deleted.
    if (mode === 'soft' && !soft) continue
    const query = relation.queryFor(parent)
    if (mode === 'force' && soft) query.withTrashed()
    for (const child of await query.get()) {
      const done = mode === 'force' && soft ? await child.forceDelete() : await child.delete()
      if (!done) throw new CascadeCancelled(child)
    }
  }
}

async function restoreChildren(parent: Model, meta: ModelMetadata, relations: ReadonlyArray<HasOneOrMany | BelongsToMany>): Promise<void> {
  const parentDeletedAt = meta.deletedAt!
  // The parent's deletedAt as stored, compared in SQL (the instance may hold more precision than the column).
  const stored = queryOf(meta.ctor as never).withTrashed().select(parentDeletedAt.column as never).whereKey(keyOf(parent, meta))
  for (const relation of relations) {
    if (relation instanceof BelongsToMany) continue
    const childMeta = modelMetadata(relation.relatedClass())
    if (!childMeta.deletedAt) continue
    const children = await relation.queryFor(parent).onlyTrashed().where(`${childMeta.table}.${childMeta.deletedAt.column}`, stored)
    for (const child of children) {
      if (!(await child.restore())) throw new CascadeCancelled(child)
    }
  }
}

function keyOf(model: Model, meta: ModelMetadata): unknown {
  if (meta.primaryKey.length === 1) return model.$originalAttributes[meta.primaryKey[0]!.column] ?? model.$attributes[meta.primaryKey[0]!.column]
  return Object.fromEntries(meta.primaryKey.map((k) => [k.property, model.$originalAttributes[k.column] ?? model.$attributes[k.column]]))
}
