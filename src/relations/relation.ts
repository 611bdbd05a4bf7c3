import type { Knex } from 'knex'
import { QuarryError } from '../errors/index.js'
import { type Model, modelMetadata } from '../model/model.js'
import { ModelAdapter } from '../model/model-adapter.js'
import type { ModelMetadata } from '../model/model-metadata.js'
import type { ModelQuery } from '../model/model-query.js'
import type { Clause } from '../query/where-builder.js'
import { keysPerQuery } from './keys.js'
import { TableScope } from './query/table-scope.js'
import type { ModelClass } from './morph-map.js'
import type { RelationClient } from './relation-client.js'
import type { RelationKind } from './relation-types.js'

/** A constraint callback on a related query, as the implementation sees it. */
export type Constraint = ((query: ModelQuery<Model>) => unknown) | undefined

/** Options every relation takes. */
export interface RelationOptions {
  /** Deleting (soft-deleting, restoring) the parent does the same to these children, through the ORM. */
  onDelete?: 'cascade'
}

/**
 * One relation as a correlated subquery (for `whereHas` and `withCount`): the related rows with
 * the related model's scopes and the caller's constraint (applied when the source is made), not
 * yet tied to a parent row.
 */
export interface SubquerySource {
  /** The related model. */
  readonly meta: ModelMetadata
  /** How the related table is named in the subquery (an alias when an enclosing query uses the same table). */
  readonly ref: string
  /** Every name the subquery gives a table (`ref`, and a pivot's or an intermediate table's), for the levels nested in it. */
  readonly tables: readonly string[]
  /** `from related [as alias] [joins] where <scopes and constraint>`, no select list: a fresh builder each call. */
  build(knex: Knex): Knex.QueryBuilder
  /** Ties `target` (the built subquery, or one nested in it) to the parent row named `parentRef`. */
  correlate(target: Knex.QueryBuilder, knex: Knex, parentRef: string): void
}

/**
 * A declared relation: its definition (keys settled on first use, since the related class may be
 * declared after this one) and its part in the shared eager-load protocol — `eagerQueries` for a
 * set of parents (keys de-duplicated, chunked to the driver's parameter limit), then `match` the
 * results back onto the parents with maps. Each relation type adds a query for one parent, the
 * subquery `whereHas`/`withCount` use, and a client for writes through one parent.
 */
export abstract class Relation {
  abstract readonly kind: RelationKind
  /** Whether the loaded value is an array. */
  abstract readonly many: boolean
  readonly onDelete: 'cascade' | undefined
  private booted = false

  constructor(
    readonly owner: ModelClass,
    readonly name: string,
    options: RelationOptions,
  ) {
    if (options.onDelete !== undefined && options.onDelete !== 'cascade') {
      throw new QuarryError(`${owner.name}.${name}: onDelete must be 'cascade', got ${JSON.stringify(options.onDelete)}`)
    }
    this.onDelete = options.onDelete
  }

  /** `User.posts`, for messages. */
  get label(): string {
    return `${this.owner.name}.${this.name}`
  }

  get parentMeta(): ModelMetadata {
    return modelMetadata(this.owner)
  }

  /** Settles the keys, once. */
  boot(): this {
    if (!this.booted) {
      this.resolve()
      this.booted = true
    }
    return this
  }

  protected abstract resolve(): void

  /** The related class; `undefined` for morphTo, whose class is read from each row. */
  abstract relatedClass(): ModelClass | undefined

  /** The queries fetching the related rows of `parents` (none when no parent has a key). */
  abstract eagerQueries(parents: readonly Model[]): Array<ModelQuery<Model>>

  /** Puts the results on their parents (`$relations[name]`: an array, a model or null), linear in the rows. */
  abstract match(parents: readonly Model[], results: readonly Model[]): void

  /** The related rows of one parent, as a query. */
  abstract queryFor(parent: Model): ModelQuery<Model>

  /**
   * The relation as correlated subqueries — one, or one per related type for morphTo — with the
   * constraint applied now. `taken` holds the table names the subquery must not reuse; `outer` the
   * tables of the enclosing queries, which the constraint may name too.
   */
  abstract subqueries(taken: ReadonlySet<string>, constrain: Constraint, outer?: TableScope): SubquerySource[]

  /** The client for writes through `parent`. */
  abstract client(parent: Model): RelationClient

  /** An error unless the parents were read with `column` (a custom select may have left it out). */
  protected requireSelected(parents: readonly Model[], column: string): void {
    const first = parents[0]
    if (first && first.$isPersisted && first.$attributes[column] === undefined) {
      throw new QuarryError(`${this.label}: the ${first.$meta.name} rows were selected without ${column}; select it to load ${this.name}`)
    }
  }

  /** Sets the loaded value on a parent. */
  protected setLoaded(parent: Model, value: unknown): void {
    const store = parent.$relationsStore
    if (store === undefined) {
      const fresh: Record<string, unknown> = {}
      fresh[this.name] = value
      parent.$relationsStore = fresh
    } else {
      store[this.name] = value
    }
  }
}

/** A query over `Class` (its global scopes apply). */
export function queryOf(Class: ModelClass): ModelQuery<Model> {
  return Class.query() as unknown as ModelQuery<Model>
}

/** How many keys one eager query over `meta`'s table may bind. */
export function keysPerChunk(meta: ModelMetadata): number {
  return keysPerQuery(ModelAdapter.connection(meta).dialect.maxBindings)
}

/**
 * The column a relation option names on `meta`'s model (a property or a column), or the default;
 * an unknown name is an error naming the relation, the option and the model's columns.
 */
export function columnOn(meta: ModelMetadata, given: string | undefined, fallback: string, label: string, option: string): string {
  const name = given ?? fallback
  const column = meta.lookup.get(name)
  if (column) return column.column
  const known = meta.columns.map((c) => c.property).join(', ')
  throw new QuarryError(
    given === undefined
      ? `${label}: ${meta.name} has no column "${name}" (the default ${option}); declare it or pass { ${option}: '…' } (${meta.name} has: ${known})`
      : `${label}: ${option} "${name}" is not a column of ${meta.name} (it has: ${known})`,
  )
}

/** The single primary key column of `meta`, for relations that default to it. */
export function primaryColumn(meta: ModelMetadata, label: string, option: string): string {
  if (meta.primaryKey.length !== 1) {
    throw new QuarryError(`${label}: ${meta.name} has ${meta.primaryKey.length ? 'a composite' : 'no'} primary key; pass { ${option}: '…' }`)
  }
  return meta.primaryKey[0]!.column
}

/** Writes a column of `model` through its property (so casts apply and it becomes dirty). */
export function setColumn(model: Model, column: string, value: unknown): void {
  const property = model.$meta.byColumn.get(column)?.property
  if (!property) throw new QuarryError(`${model.$meta.name} has no column "${column}"`)
  ;(model as unknown as Record<string, unknown>)[property] = value
}

/** A model's value for `column`, or an error when the model has none yet (not saved). */
export function requiredValue(model: Model, column: string, label: string): unknown {
  const value = model.$attributes[column]
  if (value === null || value === undefined) {
    throw new QuarryError(`${label}: this ${model.$meta.name} has no ${column} yet; save it before using the relation`)
  }
  return value
}

/**
 * A name for the related table inside a subquery: its own, unless that is already in use by an
 * enclosing query (a self-relation), then an alias.
 */
export function refFor(table: string, taken: ReadonlySet<string>): string {
  if (!taken.has(table)) return table
  for (let i = 1; ; i++) {
    const alias = `quarry_r${i}`
    if (!taken.has(alias)) return alias
  }
}

/**
 * A name for a table a subquery joins (a pivot, an intermediate table): its own unless taken,
 * else one derived from the related table's (`quarry_r1_pivot`). Either way the constraint names
 * it by its own name (the query's `TableScope` maps it).
 */
export function joinedRefFor(table: string, ref: string, taken: ReadonlySet<string>, suffix: string): string {
  return taken.has(table) ? `${ref}_${suffix}` : table
}

/** A table of a relation's query: its name as the caller writes it, and in SQL when they differ. */
export type ScopedTable = string | readonly [name: string, ref: string]

/**
 * A query over `Class` for a relation: a qualified column in it (the caller's constraint, a
 * nested group, an ordering) must name one of `tables` or a table of `outer` (the queries around
 * a subquery), else `UnknownColumnError` before any SQL.
 */
export function scopedQuery(Class: ModelClass, tables: readonly ScopedTable[], outer?: TableScope): ModelQuery<Model> {
  const query = queryOf(Class)
  const scope = new TableScope(true, outer)
  for (const table of tables) {
    if (typeof table === 'string') scope.add(table)
    else scope.add(table[0], table[1])
  }
  query.$relationQuery().scope = scope
  return query
}

/**
 * The related rows for a subquery: a query over `Class` named `ref`, with the other `tables` it
 * joins, the constraint applied now. `compileSubquery` turns it into SQL with the model's global
 * scopes (soft deletes).
 */
export function constrainedQuery(Class: ModelClass, ref: string, constrain: Constraint, outer?: TableScope, tables: readonly ScopedTable[] = []): ModelQuery<Model> {
  const query = scopedQuery(Class, [ref, ...tables], outer)
  if (ref !== modelMetadata(Class).table) query.$relationQuery().alias = ref
  constrain?.(query)
  return query
}

/**
 * A constrained query as a subquery builder, its own conditions grouped (so the correlation ANDed
 * onto it cannot be escaped by an `orWhere`), without ordering or select list.
 */
export function compileSubquery(knex: Knex, query: ModelQuery<Model>): Knex.QueryBuilder {
  return query.$narrowed(undefined, [], undefined, undefined).toKnexQuery(knex).clearSelect()
}

/**
 * An eager query whose limit and offset apply to each parent rather than to all of them:
 * `column` (qualified) names the parent of each row.
 */
export function perParent(query: ModelQuery<Model>, column: string): ModelQuery<Model> {
  query.$relationQuery().partition = column
  return query
}

/** `query` with `clause` pinned: ANDed after whatever conditions the caller adds, grouped. */
export function pinned(query: ModelQuery<Model>, clause: Clause): ModelQuery<Model> {
  query.$relationQuery().pin(clause)
  return query
}
