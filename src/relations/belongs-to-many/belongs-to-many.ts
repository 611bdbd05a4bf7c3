import type { Knex } from 'knex'
import pluralize from 'pluralize'
import { type Model, modelMetadata } from '../../model/model.js'
import type { ModelMetadata } from '../../model/model-metadata.js'
import type { ModelQuery } from '../../model/model-query.js'
import { snakeCase } from '../../model/naming.js'
import { chunked, distinctValues, groupBy, lookupKey, needsText, sample } from '../keys.js'
import { type ModelClass, morphName } from '../morph-map.js'
import type { TableScope } from '../query/table-scope.js'
import {
  columnOn,
  compileSubquery,
  type Constraint,
  constrainedQuery,
  joinedRefFor,
  keysPerChunk,
  perParent,
  pinned,
  primaryColumn,
  refFor,
  Relation,
  type RelationOptions,
  requiredValue,
  scopedQuery,
  type SubquerySource,
} from '../relation.js'
import { BelongsToManyClient } from './belongs-to-many-client.js'
import { Pivot } from './pivot.js'

export interface BelongsToManyOptions extends RelationOptions {
  /** Default: the two models' snake_case names in alphabetical order (`role_user`); for morphs the plural of the name (`taggables`). */
  pivotTable?: string
  /** The pivot column holding this model's key (default `user_id` for a User; `taggable_id` on morphToMany). */
  pivotForeignKey?: string
  /** The pivot column holding the related model's key (default `role_id`; `taggable_id` on morphedByMany). */
  pivotRelatedForeignKey?: string
  /** Morph pivots: the type column (default `<name>_type`). */
  pivotTypeKey?: string
  /** The property on this model the pivot points at; default the primary key. */
  localKey?: string
  /** The property on the related model the pivot points at; default its primary key. */
  relatedKey?: string
  /** Extra pivot columns read into `$pivot` (camelCase properties) and written by attach/sync/updatePivot. */
  pivotColumns?: readonly string[]
  /** `created_at`/`updated_at` on the pivot, set by attach and updatePivot. */
  pivotTimestamps?: boolean | { createdAt?: string; updatedAt?: string }
}

type Kind = 'belongsToMany' | 'morphToMany' | 'morphedByMany'

/**
 * Many-to-many through a pivot table: belongsToMany, and the polymorphic morphToMany (this model
 * is the morphed side: `taggables.taggable_type` names it) and morphedByMany (the related model is).
 *
 * ```ts
 * @belongsToMany(() => Role, { pivotColumns: ['grantedBy'], pivotTimestamps: true }) declare roles: BelongsToMany<Role>
 * @morphToMany(() => Tag, 'taggable') declare tags: MorphToMany<Tag>
 * @morphedByMany(() => Post, 'taggable') declare posts: MorphedByMany<Post>
 * ```
 */
export class BelongsToMany extends Relation {
  readonly many = true
  localKey = ''
  relatedKey = ''
  pivot!: Pivot
  private Related!: ModelClass

  constructor(
    owner: ModelClass,
    name: string,
    readonly kind: Kind,
    private readonly related: () => ModelClass,
    private readonly options: BelongsToManyOptions,
    readonly morph?: string,
  ) {
    super(owner, name, options)
  }

  protected resolve(): void {
    this.Related = this.related()
    const parent = this.parentMeta
    const related = modelMetadata(this.Related)
    const { options, label } = this
    this.localKey = options.localKey === undefined ? primaryColumn(parent, label, 'localKey') : columnOn(parent, options.localKey, '', label, 'localKey')
    this.relatedKey = options.relatedKey === undefined ? primaryColumn(related, label, 'relatedKey') : columnOn(related, options.relatedKey, '', label, 'relatedKey')
    const foreignOf = (meta: ModelMetadata) => `${snakeCase(meta.name)}_${meta.primaryKey.length === 1 ? meta.primaryKey[0]!.column : 'id'}`
    let table: string
    let foreignKey: string
    let relatedKey: string
    let type: Pivot['type']
    if (this.kind === 'belongsToMany') {
      table = [snakeCase(parent.name), snakeCase(related.name)].sort().join('_')
      foreignKey = foreignOf(parent)
      relatedKey = foreignOf(related)
    } else {
      const morph = snakeCase(this.morph!)
      table = pluralize.plural(morph)
      const typeColumn = options.pivotTypeKey ?? `${morph}_type`
      if (this.kind === 'morphToMany') {
        foreignKey = `${morph}_id`
        relatedKey = foreignOf(related)
        type = { column: typeColumn, value: () => morphName(this.owner) }
      } else {
        foreignKey = foreignOf(parent)
        relatedKey = `${morph}_id`
        type = { column: typeColumn, value: () => morphName(this.Related) }
      }
    }
    const stamps = options.pivotTimestamps
    const timestamps = stamps
      ? { createdAt: (typeof stamps === 'object' && stamps.createdAt) || 'created_at', updatedAt: (typeof stamps === 'object' && stamps.updatedAt) || 'updated_at' }
      : undefined
    this.pivot = new Pivot(
      label,
      options.pivotTable ?? table,
      options.pivotForeignKey ?? foreignKey,
      options.pivotRelatedForeignKey ?? relatedKey,
      options.pivotColumns ?? [],
      timestamps,
      type,
    )
  }

  relatedClass(): ModelClass {
    return this.Related
  }

  /** The related query joined to the pivot, its columns selected into `$pivot`, narrowed by `narrow`. */
  private joined(narrow: (builder: Knex.QueryBuilder, pivotTable: string) => void): ModelQuery<Model> {
    const table = modelMetadata(this.Related).table
    const pivot = this.pivot
    const query = scopedQuery(this.Related, [table, pivot.table])
      .$clause('join', (b) => void b.join(pivot.table, `${pivot.table}.${pivot.relatedKey}`, `${table}.${this.relatedKey}`))
      .$clause('select', (b) => void b.select(`${table}.*`, pivot.selects(pivot.table)))
    query.$relationQuery().onLoad((models) => pivot.readInto(models))
    return pinned(query, (b) => {
      narrow(b, pivot.table)
      if (pivot.type) b.where(`${pivot.table}.${pivot.type.column}`, pivot.type.value())
    })
  }

  eagerQueries(parents: readonly Model[]): Array<ModelQuery<Model>> {
    this.requireSelected(parents, this.localKey)
    const keys = distinctValues(parents, this.localKey)
    if (!keys.length) return []
    const foreignKey = this.pivot.foreignKey
    const partition = `${this.pivot.table}.${foreignKey}`
    return chunked(keys, keysPerChunk(modelMetadata(this.Related))).map((chunk) =>
      perParent(this.joined((b, pivotTable) => void b.whereIn(`${pivotTable}.${foreignKey}`, chunk as Knex.Value[])), partition),
    )
  }

  match(parents: readonly Model[], results: readonly Model[]): void {
    const localKey = this.localKey
    const property = this.pivot.foreignProperty
    const text = needsText(sample(parents, (p) => p.$attributes[localKey]), sample(results, (r) => r.$pivot?.[property]))
    const groups = groupBy(results, (r) => r.$pivot?.[property], text)
    for (const parent of parents) this.setLoaded(parent, groups.get(lookupKey(parent.$attributes[localKey], text)) ?? [])
  }

  queryFor(parent: Model): ModelQuery<Model> {
    const key = requiredValue(parent, this.localKey, this.label)
    const foreignKey = this.pivot.foreignKey
    return this.joined((b, pivotTable) => void b.where(`${pivotTable}.${foreignKey}`, key as Knex.Value))
  }

  subqueries(taken: ReadonlySet<string>, constrain: Constraint, outer?: TableScope): SubquerySource[] {
    const meta = modelMetadata(this.Related)
    const ref = refFor(meta.table, taken)
    const pivot = this.pivot
    // The related table is aliased in a self-relation; the pivot keeps its name unless an
    // enclosing level uses it, and the constraint names it `pivot.table` either way.
    const pivotRef = joinedRefFor(pivot.table, ref, taken, 'pivot')
    const query = constrainedQuery(this.Related, ref, constrain, outer, [[pivot.table, pivotRef]])
    return [{
      meta,
      ref,
      tables: [ref, pivotRef],
      build: (knex: Knex) => {
        const builder = compileSubquery(knex, query)
        builder.join(pivotRef === pivot.table ? pivot.table : { [pivotRef]: pivot.table }, `${pivotRef}.${pivot.relatedKey}`, `${ref}.${this.relatedKey}`)
        if (pivot.type) builder.where(`${pivotRef}.${pivot.type.column}`, pivot.type.value())
        return builder
      },
      correlate: (target: Knex.QueryBuilder, knex: Knex, parentRef: string) => {
        target.where(`${pivotRef}.${pivot.foreignKey}`, knex.ref(`${parentRef}.${this.localKey}`))
      },
    }]
  }

  /** A new related model (not saved). */
  make(): Model {
    return new this.Related()
  }

  client(parent: Model): BelongsToManyClient {
    return new BelongsToManyClient(this, parent)
  }
}
