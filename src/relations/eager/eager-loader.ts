import { RelationNotFoundError } from '../../errors/index.js'
import { type Model, modelMetadata } from '../../model/model.js'
import type { ModelClass } from '../morph-map.js'
import type { Constraint, Relation } from '../relation.js'
import { findRelation, relationNames, relationOf } from '../relation-lookup.js'
import type { EagerNode } from './eager-tree.js'

/**
 * Loads a tree of relations onto `models`: for each relation, one query for all the parents at
 * that level (more only when the keys exceed the driver's parameter limit, or one per type for
 * morphTo), matched back with maps; then the next level on all the loaded children together.
 * With `onlyMissing`, parents that already have a relation keep it (nothing is queried for them),
 * and the levels below are completed on whatever they hold.
 */
export async function eagerLoad(models: readonly Model[], tree: ReadonlyMap<string, EagerNode>, onlyMissing = false, onWriter = false): Promise<void> {
  if (!models.length || !tree.size) return
  const how: How = { onlyMissing, onWriter }
  for (const [Class, parents] of byClass(models)) {
    for (const node of tree.values()) await loadNode(Class, parents, node, how, false)
  }
}

/** Whether parents that hold a relation already are skipped, and whether reads go to the primary. */
interface How {
  readonly onlyMissing: boolean
  readonly onWriter: boolean
}

async function loadNode(Class: ModelClass, parents: readonly Model[], node: EagerNode, how: How, lenient: boolean): Promise<boolean> {
  const meta = modelMetadata(Class)
  // Under a morphTo the rows are of several classes: a class without this relation is skipped.
  const relation = lenient ? findRelation(meta, node.name) : relationOf(meta, node.name)
  if (!relation) return false
  const pending = how.onlyMissing ? parents.filter((parent) => !isLoaded(parent, node.name)) : parents
  const results = pending.length ? await fetchAndMatch(relation, pending, node.constrain, how.onWriter) : []
  if (node.children.size) {
    const children = how.onlyMissing ? loadedValues(parents, node.name) : results
    await loadChildren(children, node, how, relation.relatedClass() === undefined)
  }
  return true
}

async function loadChildren(children: readonly Model[], node: EagerNode, how: How, mixed: boolean): Promise<void> {
  if (!children.length) return
  const groups = byClass(children)
  for (const child of node.children.values()) {
    let found = false
    for (const [Class, group] of groups) found = (await loadNode(Class, group, child, how, mixed)) || found
    if (!found) {
      const [Class] = groups.keys()
      const meta = modelMetadata(Class!)
      throw new RelationNotFoundError(meta.name, child.name, relationNames(meta))
    }
  }
}

/** The protocol: the relation's eager queries (constrained), their results matched onto the parents. */
export async function fetchAndMatch(relation: Relation, parents: readonly Model[], constrain: Constraint, onWriter = false): Promise<Model[]> {
  const queries = relation.eagerQueries(parents)
  if (onWriter) for (const query of queries) query.onWriter()
  let results: Model[]
  if (queries.length === 1) {
    const query = queries[0]!
    constrain?.(query)
    results = await query.get()
  } else {
    results = []
    for (const query of queries) {
      constrain?.(query)
      const part = await query.get()
      for (let i = 0; i < part.length; i++) results.push(part[i]!)
    }
  }
  relation.match(parents, results)
  return results
}

function isLoaded(model: Model, name: string): boolean {
  const store = model.$relationsStore
  return store !== undefined && Object.hasOwn(store, name)
}

/** Every model the parents hold under `name` (arrays flattened, nulls left out). */
function loadedValues(parents: readonly Model[], name: string): Model[] {
  const out: Model[] = []
  for (const parent of parents) {
    const value = parent.$relationsStore?.[name]
    if (Array.isArray(value)) for (const item of value) out.push(item as Model)
    else if (value) out.push(value as Model)
  }
  return out
}

/** Models grouped by class, in first-seen order (one group in the common case, without copying). */
function byClass(models: readonly Model[]): Map<ModelClass, readonly Model[]> {
  const First = models[0]!.constructor as ModelClass
  let mixed = false
  for (let i = 1; i < models.length; i++) {
    if (models[i]!.constructor !== First) {
      mixed = true
      break
    }
  }
  if (!mixed) return new Map([[First, models]])
  const groups = new Map<ModelClass, Model[]>()
  for (const model of models) {
    const Class = model.constructor as ModelClass
    const group = groups.get(Class)
    if (group) group.push(model)
    else groups.set(Class, [model])
  }
  return groups
}
