import { QuarryError, RelationNotFoundError } from '../errors/index.js'
import { modelMetadata } from '../model/model.js'
import type { ModelMetadata } from '../model/model-metadata.js'
import { Relation } from './relation.js'

/** The relation names `meta`'s model declares. */
export function relationNames(meta: ModelMetadata): string[] {
  return [...meta.relations.keys()]
}

/** The declared relation `name` of `meta`'s model (keys settled), or `RelationNotFoundError` listing the others. */
export function relationOf(meta: ModelMetadata, name: string): Relation {
  const definition = typeof name === 'string' ? meta.relations.get(name) : undefined
  if (definition instanceof Relation) return definition.boot()
  if (definition !== undefined) {
    throw new QuarryError(`${meta.name}.${name} was registered without a relation decorator (@hasMany, @belongsTo, …); it cannot be loaded or queried`)
  }
  throw new RelationNotFoundError(meta.name, String(name), relationNames(meta))
}

/** The relation `name` of `meta`'s model, or `undefined` when it declares none by that name. */
export function findRelation(meta: ModelMetadata, name: string): Relation | undefined {
  const definition = meta.relations.get(name)
  return definition instanceof Relation ? definition.boot() : undefined
}

/** The relations a model declares (booted), for cascades and touches. */
export function relationsOf(meta: ModelMetadata): Relation[] {
  const out: Relation[] = []
  for (const definition of meta.relations.values()) if (definition instanceof Relation) out.push(definition.boot())
  return out
}

/**
 * Checks a dotted path (`posts.comments.author`) against the models along it, before any SQL:
 * each segment must be a relation of the model the previous one leads to. Past a morphTo the
 * model depends on each row, so the rest is checked when the rows are there.
 */
export function checkPath(meta: ModelMetadata, path: string): string[] {
  if (typeof path !== 'string' || !path) throw new QuarryError(`${meta.name}: a relation name must be a non-empty string, got ${JSON.stringify(path)}`)
  const segments = path.split('.')
  let current: ModelMetadata | undefined = meta
  for (const segment of segments) {
    if (!segment) throw new QuarryError(`${meta.name}: "${path}" is not a valid relation path`)
    if (!current) continue
    const Class = relationOf(current, segment).relatedClass()
    current = Class ? modelMetadata(Class) : undefined
  }
  return segments
}
