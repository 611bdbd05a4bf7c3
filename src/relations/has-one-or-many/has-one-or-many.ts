import type { Knex } from 'knex'
import { QuarryError } from '../../errors/index.js'
import { type Model, modelMetadata } from '../../model/model.js'
import type { ModelMetadata } from '../../model/model-metadata.js'
import type { ModelQuery } from '../../model/model-query.js'
import { snakeCase } from '../../model/naming.js'
import { chunked, distinctValues, groupByColumn, lookupKey, needsText, sample } from '../keys.js'
import { type ModelClass, morphName } from '../morph-map.js'
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
  type RelationOptions,
  requiredValue,
  scopedQuery,
  setColumn,
  type SubquerySource,
} from '../relation.js'
import { HasOneOrManyClient } from './has-one-or-many-client.js'

export interface HasOneOrManyOptions extends RelationOptions {
  /** The property (or column) on the related model pointing at this one; default `userId` for a User. */
  foreignKey?: string
  /** The property on this model it points at; default the primary key. */
  localKey?: string
}

export interface MorphOneOrManyOptions extends RelationOptions {
  /** The id property on the related model; default `<name>Id` (`commentableId`). */
  foreignKey?: string
  /** The type property on the related model; default `<name>Type` (`commentableType`). */
  typeKey?: string
  localKey?: string
}

type Kind = 'hasOne' | 'hasMany' | 'morphOne' | 'morphMany'

/**
 * hasOne / hasMany, and their polymorphic forms morphOne / morphMany: the related rows carry
 * this model's key (and, polymorphic, its type name).
 *
 * ```ts
 * @hasMany(() => Post, { foreignKey: 'authorId' }) declare posts: HasMany<Post>
 * @morphMany(() => Comment, 'commentable') declare comments: MorphMany<Comment>
 * ```
 */
export class HasOneOrMany extends Relation {
  readonly many: boolean
  /** The column on the related table holding this model's key. */
  foreignKey = ''
  /** The column on this model's table the foreign key points at. */
  localKey = ''
  /** Polymorphic: the column on the related table holding this model's type name. */
  typeColumn: string | undefined
  private Related!: ModelClass

  constructor(
    owner: ModelClass,
    name: string,
    readonly kind: Kind,
    private readonly relatedThunk: () => ModelClass,
    private readonly options: HasOneOrManyOptions & MorphOneOrManyOptions,
    /** Polymorphic: the morph name (`commentable`). */
    readonly morph?: string,
  ) {
    super(owner, name, options)
    this.many = kind === 'hasMany' || kind === 'morphMany'
  }

  protected resolve(): void {
    this.Related = this.relatedThunk()
    const parent = this.parentMeta
    const related = modelMetadata(this.Related)
    this.localKey = this.options.localKey === undefined
      ? primaryColumn(parent, this.label, 'localKey')
      : columnOn(parent, this.options.localKey, '', this.label, 'localKey')
    if (this.morph !== undefined) {
      const base = snakeCase(this.morph)
      this.foreignKey = columnOn(related, this.options.foreignKey, `${base}_id`, this.label, 'foreignKey')
      this.typeColumn = columnOn(related, this.options.typeKey, `${base}_type`, this.label, 'typeKey')
    } else {
      const key = parent.primaryKey.length === 1 ? parent.primaryKey[0]!.column : 'id'
      this.foreignKey = columnOn(related, this.options.foreignKey, `${snakeCase(parent.name)}_${key}`, this.label, 'foreignKey')
    }
  }

  relatedClass(): ModelClass {
    return this.Related
  }

  private get relatedMeta(): ModelMetadata {
    return modelMetadata(this.Related)
  }

  /** The related rows pointing at the parent class `Parent` with keys `narrow` selects. */
  private related(Parent: ModelClass, narrow: (builder: Knex.QueryBuilder, column: string) => void): ModelQuery<Model> {
    const table = this.relatedMeta.table
    const type = this.typeColumn === undefined ? undefined : morphName(Parent)
    return pinned(scopedQuery(this.Related, [table]), (b) => {
      narrow(b, `${table}.${this.foreignKey}`)
      if (type !== undefined) b.where(`${table}.${this.typeColumn}`, type)
    })
  }

  eagerQueries(parents: readonly Model[]): Array<ModelQuery<Model>> {
    this.requireSelected(parents, this.localKey)
    const keys = distinctValues(parents, this.localKey)
    if (!keys.length) return []
    const Parent = parents[0]!.constructor as ModelClass
    const partition = `${this.relatedMeta.table}.${this.foreignKey}`
    return chunked(keys, keysPerChunk(this.relatedMeta)).map((chunk) =>
      perParent(this.related(Parent, (b, column) => void b.whereIn(column, chunk as Knex.Value[])), partition),
    )
  }

  match(parents: readonly Model[], results: readonly Model[]): void {
    const foreignKey = this.foreignKey
    const localKey = this.localKey
    if (results.length && results[0]!.$attributes[foreignKey] === undefined) {
      throw new QuarryError(`${this.label}: the related rows were selected without ${foreignKey}; select it so they can be matched to their parents`)
    }
    const text = needsText(sample(parents, (p) => p.$attributes[localKey]), sample(results, (r) => r.$attributes[foreignKey]))
    const groups = groupByColumn(results, foreignKey, text)
    const many = this.many
    for (let i = 0; i < parents.length; i++) {
      const parent = parents[i]!
      const group = groups.get(lookupKey(parent.$attributes[localKey], text))
      this.setLoaded(parent, many ? (group ?? []) : (group?.[0] ?? null))
    }
  }

  queryFor(parent: Model): ModelQuery<Model> {
    const key = requiredValue(parent, this.localKey, this.label) as Knex.Value
    return this.related(parent.constructor as ModelClass, (b, column) => void b.where(column, key))
  }

  subqueries(taken: ReadonlySet<string>, constrain: Constraint, outer?: TableScope): SubquerySource[] {
    const ref = refFor(this.relatedMeta.table, taken)
    const query = constrainedQuery(this.Related, ref, constrain, outer)
    const type = this.typeColumn === undefined ? undefined : morphName(this.owner)
    return [{
      meta: this.relatedMeta,
      ref,
      tables: [ref],
      build: (knex: Knex) => compileSubquery(knex, query),
      correlate: (target: Knex.QueryBuilder, knex: Knex, parentRef: string) => {
        target.where(`${ref}.${this.foreignKey}`, knex.ref(`${parentRef}.${this.localKey}`))
        if (type !== undefined) target.where(`${ref}.${this.typeColumn}`, type)
      },
    }]
  }

  /** Points `child` at `parent`: the foreign key, and the type name when polymorphic. */
  point(child: Model, parent: Model): void {
    setColumn(child, this.foreignKey, requiredValue(parent, this.localKey, this.label))
    if (this.typeColumn !== undefined) setColumn(child, this.typeColumn, morphName(parent.constructor as ModelClass))
  }

  /** A new related model (not saved). */
  make(): Model {
    return new this.Related()
  }

  client(parent: Model): HasOneOrManyClient {
    return new HasOneOrManyClient(this, parent)
  }
}
