import type { Knex } from 'knex'
import { QuarryError } from '../../errors/index.js'
import { type Model, modelMetadata } from '../../model/model.js'
import type { ModelMetadata } from '../../model/model-metadata.js'
import type { ModelQuery } from '../../model/model-query.js'
import { snakeCase } from '../../model/naming.js'
import { chunked, distinctValues, groupBy, lookupKey, needsText, sample } from '../keys.js'
import type { ModelClass } from '../morph-map.js'
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
  requiredValue,
  scopedQuery,
  type SubquerySource,
} from '../relation.js'
import { RelationClient } from '../relation-client.js'

export interface ThroughOptions {
  /** The property on the model in between pointing at this one (`countryId` on User, for Country → User → Post). */
  foreignKey?: string
  /** The property on the far model pointing at the one in between (`userId` on Post). */
  throughForeignKey?: string
  /** The property on this model the first key points at; default the primary key. */
  localKey?: string
  /** The property on the model in between the second key points at; default its primary key. */
  throughLocalKey?: string
}

const THROUGH_KEY = 'quarry_through_key'

/** The parent key each far row was reached with (moved out of `$extras` on load). */
const reachedBy = new WeakMap<Model, unknown>()

/**
 * hasManyThrough / hasOneThrough: rows of a far model reached through an intermediate one
 * (Country → User → Post). Soft-deleted intermediate rows do not lead anywhere.
 *
 * ```ts
 * @hasManyThrough(() => Post, () => User) declare posts: HasManyThrough<Post>
 * ```
 */
export class HasManyThrough extends Relation {
  readonly many: boolean
  localKey = ''
  /** On the intermediate table, pointing at this model. */
  foreignKey = ''
  throughLocalKey = ''
  /** On the far table, pointing at the intermediate model. */
  throughForeignKey = ''
  private Far!: ModelClass
  private Through!: ModelClass

  constructor(
    owner: ModelClass,
    name: string,
    readonly kind: 'hasManyThrough' | 'hasOneThrough',
    private readonly far: () => ModelClass,
    private readonly through: () => ModelClass,
    private readonly options: ThroughOptions,
  ) {
    super(owner, name, {})
    if ((options as { onDelete?: unknown }).onDelete !== undefined) {
      throw new QuarryError(`${owner.name}.${name}: onDelete is not available on ${kind}; cascade on the direct relations instead`)
    }
    this.many = kind === 'hasManyThrough'
  }

  protected resolve(): void {
    this.Far = this.far()
    this.Through = this.through()
    const parent = this.parentMeta
    const through = modelMetadata(this.Through)
    const far = modelMetadata(this.Far)
    const { options, label } = this
    this.localKey = options.localKey === undefined ? primaryColumn(parent, label, 'localKey') : columnOn(parent, options.localKey, '', label, 'localKey')
    this.throughLocalKey = options.throughLocalKey === undefined
      ? primaryColumn(through, label, 'throughLocalKey')
      : columnOn(through, options.throughLocalKey, '', label, 'throughLocalKey')
    const keyName = (meta: ModelMetadata) => (meta.primaryKey.length === 1 ? meta.primaryKey[0]!.column : 'id')
    this.foreignKey = columnOn(through, options.foreignKey, `${snakeCase(parent.name)}_${keyName(parent)}`, label, 'foreignKey')
    this.throughForeignKey = columnOn(far, options.throughForeignKey, `${snakeCase(through.name)}_${keyName(through)}`, label, 'throughForeignKey')
  }

  relatedClass(): ModelClass {
    return this.Far
  }

  /** Far rows joined to the intermediate table (live rows only), keyed as `narrow` says. */
  private joined(narrow: (builder: Knex.QueryBuilder, column: string) => void): ModelQuery<Model> {
    const far = modelMetadata(this.Far).table
    const through = modelMetadata(this.Through)
    const query = scopedQuery(this.Far, [far, through.table])
      .$clause('join', (b) => void b.join(through.table, `${through.table}.${this.throughLocalKey}`, `${far}.${this.throughForeignKey}`))
      .$clause('select', (b) => void b.select(`${far}.*`, { [THROUGH_KEY]: `${through.table}.${this.foreignKey}` }))
    query.$relationQuery().onLoad((models) => {
      for (const model of models) {
        const extras = model.$extrasStore
        if (!extras) continue
        reachedBy.set(model, extras[THROUGH_KEY])
        delete extras[THROUGH_KEY]
        if (Object.keys(extras).length === 0) model.$extrasStore = undefined
      }
    })
    return pinned(query, (b) => {
      narrow(b, `${through.table}.${this.foreignKey}`)
      if (through.deletedAt) b.whereNull(`${through.table}.${through.deletedAt.column}`)
    })
  }

  eagerQueries(parents: readonly Model[]): Array<ModelQuery<Model>> {
    this.requireSelected(parents, this.localKey)
    const keys = distinctValues(parents, this.localKey)
    if (!keys.length) return []
    const partition = `${modelMetadata(this.Through).table}.${this.foreignKey}`
    return chunked(keys, keysPerChunk(modelMetadata(this.Far))).map((chunk) =>
      perParent(this.joined((b, column) => void b.whereIn(column, chunk as Knex.Value[])), partition),
    )
  }

  match(parents: readonly Model[], results: readonly Model[]): void {
    const localKey = this.localKey
    const text = needsText(sample(parents, (p) => p.$attributes[localKey]), sample(results, (r) => reachedBy.get(r)))
    const groups = groupBy(results, (r) => reachedBy.get(r), text)
    for (const parent of parents) {
      const group = groups.get(lookupKey(parent.$attributes[localKey], text))
      this.setLoaded(parent, this.many ? (group ?? []) : (group?.[0] ?? null))
    }
  }

  queryFor(parent: Model): ModelQuery<Model> {
    const key = requiredValue(parent, this.localKey, this.label) as Knex.Value
    return this.joined((b, column) => void b.where(column, key))
  }

  subqueries(taken: ReadonlySet<string>, constrain: Constraint, outer?: TableScope): SubquerySource[] {
    const meta = modelMetadata(this.Far)
    const through = modelMetadata(this.Through)
    const ref = refFor(meta.table, taken)
    const throughRef = joinedRefFor(through.table, ref, taken, 'through')
    const query = constrainedQuery(this.Far, ref, constrain, outer, [[through.table, throughRef]])
    return [{
      meta,
      ref,
      tables: [ref, throughRef],
      build: (knex: Knex) => {
        const builder = compileSubquery(knex, query)
        builder.join(throughRef === through.table ? through.table : { [throughRef]: through.table }, `${throughRef}.${this.throughLocalKey}`, `${ref}.${this.throughForeignKey}`)
        if (through.deletedAt) builder.whereNull(`${throughRef}.${through.deletedAt.column}`)
        return builder
      },
      correlate: (target: Knex.QueryBuilder, knex: Knex, parentRef: string) => {
        target.where(`${throughRef}.${this.foreignKey}`, knex.ref(`${parentRef}.${this.localKey}`))
      },
    }]
  }

  /** Through relations are read-only: the client queries. */
  client(parent: Model): RelationClient {
    return new RelationClient(this, parent)
  }
}
