import { QuarryError, RelationNotFoundError } from '../errors/index.js'
import { Model } from '../model/model.js'
import type { ModelMetadata } from '../model/model-metadata.js'
import { BelongsTo } from '../relations/belongs-to/belongs-to.js'
import { BelongsToMany } from '../relations/belongs-to-many/belongs-to-many.js'
import { HasOneOrMany } from '../relations/has-one-or-many/has-one-or-many.js'
import { type ModelClass, morphName } from '../relations/morph-map.js'
import { MorphTo } from '../relations/morph-to/morph-to.js'
import { Relation, requiredValue } from '../relations/relation.js'
import type { RelationKind } from '../relations/relation-types.js'

/** The three ways a factory links related models. */
export type LinkMethod = 'has' | 'for' | 'hasAttached'

const KINDS: Readonly<Record<LinkMethod, readonly RelationKind[]>> = {
  has: ['hasOne', 'hasMany', 'morphOne', 'morphMany'],
  for: ['belongsTo', 'morphTo'],
  hasAttached: ['belongsToMany', 'morphToMany', 'morphedByMany'],
}

/** The method that takes each relation kind (through relations hold no rows of their own). */
function methodFor(kind: RelationKind): LinkMethod | undefined {
  return (Object.keys(KINDS) as LinkMethod[]).find((method) => KINDS[method].includes(kind))
}

/**
 * The relation `name` of `meta`'s model, checked to be one `method` takes: an unknown name is a
 * `RelationNotFoundError` listing the relations, a relation of another kind a `QuarryError`
 * naming the method that takes it. Keys are not settled here (the related class may not be
 * declared yet); `settle()` does that when the factory runs.
 */
export function checkLink(meta: ModelMetadata, name: unknown, method: LinkMethod): Relation {
  const definition = typeof name === 'string' ? meta.relations.get(name) : undefined
  if (!(definition instanceof Relation)) {
    throw new RelationNotFoundError(meta.name, String(name), [...meta.relations.keys()])
  }
  if (!KINDS[method].includes(definition.kind)) {
    const other = methodFor(definition.kind)
    throw new QuarryError(
      `${meta.name}.${String(name)} is a ${definition.kind} relation; ${method}() takes ${KINDS[method].join(', ')} relations` +
        (other ? `. Use ${other}(…, '${String(name)}') for it` : '; a through relation holds no rows of its own to create'),
    )
  }
  return definition
}

/** Settles the relation's keys and checks that `Related` models are what it holds. */
export function settle(relation: Relation, Related: ModelClass | undefined, method: LinkMethod): Relation {
  relation.boot()
  const expected = relation.relatedClass()
  if (expected && Related && Related !== expected && !(Related.prototype instanceof expected)) {
    throw new QuarryError(`${relation.label} holds ${expected.name} models; ${method}() was given ${Related.name} (a factory or model of ${expected.name} fits)`)
  }
  return relation
}

function property(meta: ModelMetadata, column: string): string {
  return meta.byColumn.get(column)!.property
}

/**
 * The attributes that point a child of `relation` (hasOne/hasMany/morphOne/morphMany) at
 * `parent`: the foreign key, and the type name for a polymorphic one. `parent` must be saved.
 */
export function childAttributes(relation: Relation, parent: Model, childMeta: ModelMetadata): Record<string, unknown> {
  const has = relation as HasOneOrMany
  const out: Record<string, unknown> = {
    [property(childMeta, has.foreignKey)]: requiredValue(parent, has.localKey, relation.label),
  }
  if (has.typeColumn !== undefined) out[property(childMeta, has.typeColumn)] = morphName(parent.constructor as ModelClass)
  return out
}

/**
 * The attributes that point a model at `owner` through `relation` (belongsTo/morphTo). An owner
 * without a key yet (from `make()`) gives none; `create()` saves owners first.
 */
export function ownerAttributes(relation: Relation, owner: Model, meta: ModelMetadata): Record<string, unknown> {
  if (relation instanceof BelongsTo) {
    const key = owner.$attributes[relation.ownerKey]
    return key === undefined || key === null ? {} : { [property(meta, relation.foreignKey)]: key }
  }
  const morph = relation as MorphTo
  const Class = owner.constructor as ModelClass
  const key = owner.$attributes[morph.ownerKey(Class)]
  if (key === undefined || key === null) return {}
  return { [property(meta, morph.typeColumn)]: morphName(Class), [property(meta, morph.idColumn)]: key }
}

/** A model given to `for()` or `hasAttached()`: of the related class, and saved when `persisted`. */
export function checkOwnerModel(relation: Relation, owner: unknown, persisted: boolean, method: LinkMethod): Model {
  if (!(owner instanceof Model)) throw new QuarryError(`${relation.label}: ${method}() takes a factory or models, got ${owner === null ? 'null' : typeof owner}`)
  const expected = relation.relatedClass()
  if (expected && !(owner instanceof expected)) {
    throw new QuarryError(`${relation.label} holds ${expected.name} models; ${method}() was given a ${(owner as Model).constructor.name}`)
  }
  if (persisted && !owner.$isPersisted) {
    throw new QuarryError(`${relation.label}: the ${owner.constructor.name} given to ${method}() is not saved; save it first or pass a factory`)
  }
  return owner
}

/** Whether `relation` is a many-to-many one (for `hasAttached`). */
export function isManyToMany(relation: Relation): relation is BelongsToMany {
  return relation instanceof BelongsToMany
}

/** Whether `relation` holds one row per parent (hasOne/morphOne). */
export function holdsOne(relation: Relation): boolean {
  return relation instanceof HasOneOrMany && !relation.many
}
