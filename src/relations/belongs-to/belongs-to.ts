import type { Knex } from 'knex'
import { QuarryError } from '../../errors/index.js'
import { type Model, modelMetadata } from '../../model/model.js'
import type { ModelQuery } from '../../model/model-query.js'
import { snakeCase } from '../../model/naming.js'
import { chunked, distinctValues, groupByColumn, lookupKey, needsText, sample } from '../keys.js'
import type { ModelClass } from '../morph-map.js'
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
import { BelongsToClient } from './belongs-to-client.js'

export interface BelongsToOptions {
  /** The property on this model pointing at the owner; default `<relation>Id` (`authorId` for `author`). */
  foreignKey?: string
  /** The property on the owner it points at; default the owner's primary key. */
  ownerKey?: string
  /** Saving (or deleting) this model bumps the owner's `updatedAt`. */
  touches?: boolean
}

/**
 * The child side of hasOne / hasMany: this model holds the owner's key.
 *
 * ```ts
 * @belongsTo(() => User, { foreignKey: 'authorId' }) declare author: BelongsTo<User>
 * ```
 */
export class BelongsTo extends Relation {
  readonly kind = 'belongsTo' as const
  readonly many = false
  /** The column on this model's table holding the owner's key. */
  foreignKey = ''
  /** The column on the owner's table it points at. */
  ownerKey = ''
  readonly touches: boolean
  private Related!: ModelClass

  constructor(
    owner: ModelClass,
    name: string,
    private readonly related: () => ModelClass,
    private readonly options: BelongsToOptions,
  ) {
    super(owner, name, {})
    if ((options as { onDelete?: unknown }).onDelete !== undefined) {
      throw new QuarryError(`${owner.name}.${name}: onDelete belongs on the parent's hasOne/hasMany relation, not on belongsTo`)
    }
    this.touches = options.touches === true
  }

  protected resolve(): void {
    this.Related = this.related()
    const related = modelMetadata(this.Related)
    this.ownerKey = this.options.ownerKey === undefined
      ? primaryColumn(related, this.label, 'ownerKey')
      : columnOn(related, this.options.ownerKey, '', this.label, 'ownerKey')
    this.foreignKey = columnOn(this.parentMeta, this.options.foreignKey, `${snakeCase(this.name)}_${this.ownerKey}`, this.label, 'foreignKey')
  }

  relatedClass(): ModelClass {
    return this.Related
  }

  eagerQueries(parents: readonly Model[]): Array<ModelQuery<Model>> {
    this.requireSelected(parents, this.foreignKey)
    const keys = distinctValues(parents, this.foreignKey)
    if (!keys.length) return []
    const meta = modelMetadata(this.Related)
    const column = `${meta.table}.${this.ownerKey}`
    // Per parent: each row is its own owner's only row, so a limit keeps it and an offset drops it.
    return chunked(keys, keysPerChunk(meta)).map((chunk) => perParent(pinned(scopedQuery(this.Related, [meta.table]), (b) => void b.whereIn(column, chunk as Knex.Value[])), column))
  }

  match(parents: readonly Model[], results: readonly Model[]): void {
    const { foreignKey, ownerKey } = this
    if (results.length && results[0]!.$attributes[ownerKey] === undefined) {
      throw new QuarryError(`${this.label}: the related rows were selected without ${ownerKey}; select it so they can be matched to their parents`)
    }
    const text = needsText(sample(parents, (p) => p.$attributes[foreignKey]), sample(results, (r) => r.$attributes[ownerKey]))
    const owners = groupByColumn(results, ownerKey, text)
    for (let i = 0; i < parents.length; i++) {
      const parent = parents[i]!
      const value = parent.$attributes[foreignKey]
      this.setLoaded(parent, value === null || value === undefined ? null : (owners.get(lookupKey(value, text))?.[0] ?? null))
    }
  }

  queryFor(child: Model): ModelQuery<Model> {
    const table = modelMetadata(this.Related).table
    const column = `${table}.${this.ownerKey}`
    const value = child.$attributes[this.foreignKey]
    return pinned(scopedQuery(this.Related, [table]), (b) => {
      if (value === null || value === undefined) b.whereIn(column, [])
      else b.where(column, value as Knex.Value)
    })
  }

  subqueries(taken: ReadonlySet<string>, constrain: Constraint, outer?: TableScope): SubquerySource[] {
    const ref = refFor(modelMetadata(this.Related).table, taken)
    const query = constrainedQuery(this.Related, ref, constrain, outer)
    return [{
      meta: modelMetadata(this.Related),
      ref,
      tables: [ref],
      build: (knex: Knex) => compileSubquery(knex, query),
      correlate: (target: Knex.QueryBuilder, knex: Knex, parentRef: string) => {
        target.where(`${ref}.${this.ownerKey}`, knex.ref(`${parentRef}.${this.foreignKey}`))
      },
    }]
  }

  client(child: Model): BelongsToClient {
    return new BelongsToClient(this, child)
  }
}
