import type { Knex } from 'knex'
import { QuarryError } from '../../errors/index.js'
import { type Model, modelMetadata } from '../../model/model.js'
import type { ModelQuery } from '../../model/model-query.js'
import { snakeCase } from '../../model/naming.js'
import { chunked, distinctValues, textKey } from '../keys.js'
import { type ModelClass, morphCandidates, morphClass, morphName } from '../morph-map.js'
import type { TableScope } from '../query/table-scope.js'
import {
  columnOn,
  compileSubquery,
  type Constraint,
  constrainedQuery,
  keysPerChunk,
  perParent,
  pinned,
  primaryColumn,
  refFor,
  Relation,
  scopedQuery,
  type SubquerySource,
} from '../relation.js'
import { MorphToClient } from './morph-to-client.js'

export interface MorphToOptions {
  /** The type property on this model; default `<relation>Type` (`commentableType`). */
  typeKey?: string
  /** The id property on this model; default `<relation>Id` (`commentableId`). */
  foreignKey?: string
  /** The property on the owners the id points at; default each owner's primary key. */
  ownerKey?: string
  /**
   * The owner classes, for `whereHas`/`withCount` on this relation (which must name every
   * possible type). Default: the models declaring the inverse relation (`@morphMany(() => Comment, 'commentable')`).
   */
  types?: () => ModelClass[]
  /** Saving this model bumps the owner's `updatedAt`. */
  touches?: boolean
}

/**
 * The polymorphic owner: this model holds a type name and a key. The class of each row's owner
 * comes from the morph map (else the declared owner classes by table name); an unknown type name
 * is an error naming it, never a guess.
 *
 * ```ts
 * @morphTo() declare commentable: MorphTo<Post | Video>
 * ```
 */
export class MorphTo extends Relation {
  readonly kind = 'morphTo' as const
  readonly many = false
  typeColumn = ''
  idColumn = ''
  readonly touches: boolean

  constructor(
    owner: ModelClass,
    name: string,
    private readonly options: MorphToOptions,
  ) {
    super(owner, name, {})
    if ((options as { onDelete?: unknown }).onDelete !== undefined) {
      throw new QuarryError(`${owner.name}.${name}: onDelete belongs on the owner's morphOne/morphMany relation, not on morphTo`)
    }
    if (options.types !== undefined && typeof options.types !== 'function') {
      throw new QuarryError(`${owner.name}.${name}: types must be a function returning model classes: { types: () => [Post, Video] }`)
    }
    this.touches = options.touches === true
  }

  protected resolve(): void {
    const parent = this.parentMeta
    const base = snakeCase(this.name)
    this.typeColumn = columnOn(parent, this.options.typeKey, `${base}_type`, this.label, 'typeKey')
    this.idColumn = columnOn(parent, this.options.foreignKey, `${base}_id`, this.label, 'foreignKey')
  }

  relatedClass(): undefined {
    return undefined
  }

  /** The classes this relation may point at (declared inverses and `types`). */
  candidates(): ModelClass[] {
    return morphCandidates(this.name, this.owner, this.options.types?.() ?? [])
  }

  /** The class a stored type name stands for. */
  classFor(type: unknown): ModelClass {
    return morphClass(type, this.label, () => this.candidates())
  }

  /** The owner column the id points at, on `Class`. */
  ownerKey(Class: ModelClass): string {
    const meta = modelMetadata(Class)
    return this.options.ownerKey === undefined ? primaryColumn(meta, this.label, 'ownerKey') : columnOn(meta, this.options.ownerKey, '', this.label, 'ownerKey')
  }

  /** One query per owner type (more when its keys exceed the parameter limit). */
  eagerQueries(parents: readonly Model[]): Array<ModelQuery<Model>> {
    this.requireSelected(parents, this.typeColumn)
    this.requireSelected(parents, this.idColumn)
    const byType = new Map<string, Model[]>()
    for (const parent of parents) {
      const type = parent.$attributes[this.typeColumn]
      const id = parent.$attributes[this.idColumn]
      if (type === null || type === undefined || id === null || id === undefined) continue
      const group = byType.get(String(type))
      if (group) group.push(parent)
      else byType.set(String(type), [parent])
    }
    const queries: Array<ModelQuery<Model>> = []
    for (const [type, group] of byType) {
      const Class = this.classFor(type)
      const meta = modelMetadata(Class)
      const column = `${meta.table}.${this.ownerKey(Class)}`
      for (const chunk of chunked(distinctValues(group, this.idColumn), keysPerChunk(meta))) {
        queries.push(perParent(pinned(scopedQuery(Class, [meta.table]), (b) => void b.whereIn(column, chunk as Knex.Value[])), column))
      }
    }
    return queries
  }

  match(parents: readonly Model[], results: readonly Model[]): void {
    // Keys are compared as text: a `*_id` column often holds integer and UUID keys alike.
    const owners = new Map<ModelClass, Map<unknown, Model>>()
    for (const result of results) {
      const Class = result.constructor as ModelClass
      let byKey = owners.get(Class)
      if (!byKey) owners.set(Class, (byKey = new Map()))
      const key = result.$attributes[this.ownerKey(Class)]
      if (key === undefined) {
        throw new QuarryError(`${this.label}: the ${Class.name} rows were selected without ${this.ownerKey(Class)}; select it so they can be matched`)
      }
      byKey.set(textKey(key), result)
    }
    for (const parent of parents) {
      const type = parent.$attributes[this.typeColumn]
      const id = parent.$attributes[this.idColumn]
      if (type === null || type === undefined || id === null || id === undefined) {
        this.setLoaded(parent, null)
        continue
      }
      this.setLoaded(parent, owners.get(this.classFor(type))?.get(textKey(id)) ?? null)
    }
  }

  queryFor(parent: Model): ModelQuery<Model> {
    const type = parent.$attributes[this.typeColumn]
    if (type === null || type === undefined) {
      throw new QuarryError(`${this.label}: this ${parent.$meta.name} has no ${this.typeColumn}, so the owner's model is unknown`)
    }
    const Class = this.classFor(type)
    const table = modelMetadata(Class).table
    const column = `${table}.${this.ownerKey(Class)}`
    const id = parent.$attributes[this.idColumn]
    return pinned(scopedQuery(Class, [table]), (b) => {
      if (id === null || id === undefined) b.whereIn(column, [])
      else b.where(column, id as Knex.Value)
    })
  }

  /** One subquery per owner class: `type = 'post' and exists (select … from posts where posts.id = comments.commentable_id)`. */
  subqueries(taken: ReadonlySet<string>, constrain: Constraint, outer?: TableScope): SubquerySource[] {
    const classes = this.candidates()
    if (!classes.length) {
      throw new QuarryError(`${this.label}: querying by a morphTo needs its owner classes; declare the inverse relation (@morphMany) or pass @morphTo({ types: () => [Post, Video] })`)
    }
    return classes.map((Class) => {
      const meta = modelMetadata(Class)
      const ref = refFor(meta.table, taken)
      const query = constrainedQuery(Class, ref, constrain, outer)
      const ownerKey = this.ownerKey(Class)
      const type = morphName(Class)
      return {
        meta,
        ref,
        tables: [ref],
        build: (knex: Knex) => compileSubquery(knex, query),
        correlate: (target: Knex.QueryBuilder, knex: Knex, parentRef: string) => {
          target.where(`${ref}.${ownerKey}`, knex.ref(`${parentRef}.${this.idColumn}`)).whereRaw('?? = ?', [`${parentRef}.${this.typeColumn}`, type])
        },
      }
    })
  }

  client(child: Model): MorphToClient {
    return new MorphToClient(this, child)
  }
}
