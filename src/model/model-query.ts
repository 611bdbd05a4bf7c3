import type { Knex } from 'knex'
import { QuarryError } from '../errors/index.js'
import { unknownColumn } from './column-resolver.js'
import { QueryBuilder } from '../query/query-builder.js'
import type { Operator, QueryTarget, Row } from '../query/query-target.js'
import type { Clause } from '../query/where-builder.js'
import { eagerRequests } from '../relations/eager/eager-tree.js'
import { rankedPerParent } from '../relations/eager/per-parent.js'
import type { Constraint } from '../relations/relation.js'
import { type AggregateFunction, relationAggregate } from '../relations/query/relation-aggregates.js'
import { hasClause, type HasOptions } from '../relations/query/relation-exists.js'
import { RelationQueryState } from '../relations/query/relation-query-state.js'
import { TableScope } from '../relations/query/table-scope.js'
import type { RelatedColumn, RelationConstraint, ValidPath, ValidPaths } from '../relations/relation-types.js'
import type { Model } from './model.js'
import type { ModelMetadata } from './model-metadata.js'
import { ModelTarget } from './model-target.js'
import type { SelectItem } from '../query/query-builder.js'
import type { Selected } from './selected-types.js'
import type { ColumnRef, ColumnTypes, GlobalScopeName, ModelAttributes, ScopeArgs, ScopeFunction } from './types.js'

/** The global scope soft deletes install: `deletedAt is null`. */
export const SOFT_DELETES = 'softDeletes'

interface ScopedClass {
  scopes?: Record<string, ScopeFunction>
  globalScopes?: Record<string, ScopeFunction>
}

/**
 * A query over instances of `M` (what scope functions receive, and what `User.query()` returns,
 * with `S` the model's `static scopes` and `G` its `static globalScopes`; `R`, what it returns:
 * `M`, or `M` with only the selected columns after `select('id', 'email')`). Adds to the SQL builder: hydration into models, local
 * and global scopes, soft deletes, and mass `update`/`delete` that respect them.
 *
 * ```ts
 * const users = await User.query().scope('active').where('age', '>', 18).orderBy('name')
 * ```
 *
 * Seam for relations: eager loading (`with`, `withCount`) belongs in an override of
 * `materialize(rows)`, which every terminal read (`get`, `first`, paginators, chunks) goes through.
 */
export class ModelQuery<M extends Model, S extends object = {}, G extends object = Record<string, ScopeFunction>, R = M> extends QueryBuilder<R, ColumnRef<M>, ColumnTypes<M>> {
  protected readonly meta: ModelMetadata
  /** Global scopes left out: none (`undefined`, the common case, allocates nothing), some, or all. */
  private removedScopes: Set<string> | 'all' | undefined
  private scoped = false
  /** @internal What relations add to this query (src/relations); made by the first relation method. */
  $relationState: RelationQueryState | undefined = undefined

  constructor(target: ModelTarget<M>) {
    // The rows are `M`s; `R` narrows what the types let a caller read of them.
    super(target as unknown as QueryTarget<R>)
    this.meta = target.meta
  }

  protected spawn(): this {
    const Query = this.constructor as new (target: ModelTarget<M>) => this
    const query = new Query(this.target as unknown as ModelTarget<M>)
    // A nested group (`where((q) => …)`) names the same tables.
    const scope = this.$relationState?.scope
    if (scope) query.$relationQuery().scope = scope
    return query
  }

  /** A relation's query checks that a qualified column names one of its tables (see `TableScope`). */
  protected override column(name: string): string {
    const resolved = super.column(name)
    const scope = this.$relationState?.scope
    return scope?.checked ? scope.resolve(resolved, name, this.meta.name) : resolved
  }

  protected override joined(table: string | undefined): void {
    const state = this.$relationQuery()
    const scope = (state.scope ??= TableScope.of(state.ref(this.meta)))
    if (table === undefined) scope.openUp()
    else scope.joined(table)
  }

  /** The tables this query's `whereHas`/`withCount` subqueries may name from the enclosing query. */
  private enclosingScope(): TableScope {
    const state = this.$relationState
    return state?.scope ?? TableScope.of(state?.ref(this.meta) ?? this.meta.table)
  }

  protected override copyInto(copy: this): this {
    super.copyInto(copy)
    const removed = this.removedScopes
    copy.removedScopes = removed === undefined || removed === 'all' ? removed : new Set(removed)
    copy.scoped = this.scoped
    copy.$relationState = this.$relationState?.copy()
    return copy
  }

  private get modelClass(): ScopedClass {
    return this.meta.ctor as unknown as ScopedClass
  }

  /** Applies a local scope from the model's `static scopes`: `.scope('olderThan', 30)`. */
  scope<K extends keyof S & string>(name: K, ...args: ScopeArgs<S[K]>): this {
    const scopes = this.modelClass.scopes ?? {}
    const fn = Object.hasOwn(scopes, name) ? scopes[name] : undefined
    if (typeof fn !== 'function') {
      const known = Object.keys(scopes)
      throw new QuarryError(`${this.meta.name} has no scope "${name}"; ${known.length ? `its scopes are: ${known.join(', ')}` : 'it declares no scopes'}`)
    }
    fn(this, ...(args as unknown[]))
    return this
  }

  /**
   * Selects columns (`select('id', 'email')`, `select({ mail: 'email' })`); `*` by default. Naming
   * properties narrows the results: reading a column that was not selected is a compile error.
   */
  override select<K extends ColumnRef<M>>(...columns: K[]): ModelQuery<M, S, G, Selected<M, K>>
  override select(...columns: Array<SelectItem<ColumnRef<M>>>): this
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override select(...columns: Array<SelectItem<ColumnRef<M>>>): ModelQuery<M, S, G, any> {
    return super.select(...columns)
  }

  /** Leaves out one global scope (`'softDeletes'` for soft deletes) for this query. */
  withoutGlobalScope(name: GlobalScopeName<G>): this {
    if (name !== SOFT_DELETES && !Object.hasOwn(this.modelClass.globalScopes ?? {}, name)) {
      const known = this.globalScopeNames()
      throw new QuarryError(`${this.meta.name} has no global scope "${name}"; ${known.length ? `its global scopes are: ${known.join(', ')}` : 'it has none'}`)
    }
    this.remove(name)
    return this
  }

  private remove(name: string): void {
    const removed = this.removedScopes
    if (removed === 'all') return
    if (removed) removed.add(name)
    else this.removedScopes = new Set([name])
  }

  /** Leaves out every global scope, soft deletes included. */
  withoutGlobalScopes(): this {
    this.removedScopes = 'all'
    return this
  }

  /** Includes soft-deleted rows. */
  withTrashed(): this {
    this.requireSoftDeletes('withTrashed')
    this.remove(SOFT_DELETES)
    return this
  }

  /** Only soft-deleted rows. */
  onlyTrashed(): this {
    const deletedAt = this.requireSoftDeletes('onlyTrashed')
    this.withTrashed()
    return this.whereNotNull(`${this.meta.table}.${deletedAt.column}`)
  }

  private requireSoftDeletes(what: string) {
    if (!this.meta.deletedAt) throw new QuarryError(`${what}(): ${this.meta.name} does not soft-delete (no @column.deletedAt())`)
    return this.meta.deletedAt
  }

  private globalScopeNames(): string[] {
    const names = Object.keys(this.modelClass.globalScopes ?? {})
    return this.meta.deletedAt ? [SOFT_DELETES, ...names] : names
  }

  private applies(name: string): boolean {
    return this.removedScopes === undefined || (this.removedScopes !== 'all' && !this.removedScopes.has(name))
  }

  /** A copy with the global scopes applied, the query's own conditions grouped first. */
  protected override prepared(): this {
    // A relation's own conditions (the parent's key) are pinned: ANDed after the query's own, grouped.
    const pinned = this.$relationState?.pinned
    if (this.scoped || (!this.meta.deletedAt && !this.modelClass.globalScopes && !pinned)) return this
    const names = this.globalScopeNames().filter((name) => this.applies(name))
    if (!names.length && !pinned) return this
    const copy = this.$narrowed(undefined, [...this.orders], this.limitValue, this.offsetValue)
    copy.scoped = true
    if (pinned) for (const clause of pinned) copy.addWhere(clause)
    for (const name of names) {
      // Qualified, so a joined table's own deleted_at is not ambiguous.
      if (name === SOFT_DELETES) copy.whereNull(`${this.$relationState?.alias ?? this.meta.table}.${this.meta.deletedAt!.column}`)
      else this.modelClass.globalScopes![name]!(copy)
    }
    return copy
  }

  /** Restricts to the row with primary key `id` (`{ userId, roleId }` for a composite key). */
  whereKey(id: unknown): this {
    const keys = this.meta.primaryKey
    if (!keys.length) throw new QuarryError(`${this.meta.name} has no @column.primary()`)
    if (keys.length === 1) {
      if (id === undefined || (typeof id === 'object' && id !== null && !(id instanceof Date) && !Buffer.isBuffer(id))) {
        throw new QuarryError(`${this.meta.name}: a key must be a value, got ${JSON.stringify(id)}`)
      }
      return this.where(keys[0]!.column as ColumnRef<M>, id as never)
    }
    if (typeof id !== 'object' || id === null) {
      throw new QuarryError(`${this.meta.name} has a composite key: pass { ${keys.map((k) => k.property).join(', ')} }`)
    }
    const given = id as Record<string, unknown>
    for (const key of keys) {
      const value = given[key.property] ?? given[key.column]
      if (value === undefined) throw new QuarryError(`${this.meta.name}: the key needs ${key.property}`)
      this.where(key.column as ColumnRef<M>, value as never)
    }
    return this
  }

  /** The values for a mass write, by column, casts applied. */
  private columnValues(values: ModelAttributes<M>, context = 'update()'): Row {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new QuarryError(`${context} expects an object of column values`)
    const row: Row = {}
    for (const [name, value] of Object.entries(values)) {
      const column = this.meta.byColumn.get(this.target.resolveColumn(name))
      if (!column) throw unknownColumn(this.meta, name, context)
      if (value === undefined) continue
      const cast = column.effectiveCast
      row[column.column] = value === null || !cast ? value : cast.set(cast.assign ? cast.assign(value) : value)
    }
    return row
  }

  /**
   * Mass update of every matching row (global scopes apply; no model events); resolves to the
   * number of rows affected. Sets `updatedAt` and bumps `version` when the model has them.
   */
  async update(values: ModelAttributes<M>): Promise<number> {
    const row = this.columnValues(values)
    const { updatedAt, version } = this.meta
    if (updatedAt && !(updatedAt.column in row)) row[updatedAt.column] = new Date()
    if (version && !(version.column in row)) {
      const knex = this.target.connection().current()
      row[version.column] = knex.raw('?? + 1', [version.column]) as unknown as Knex.Value
    }
    return this.updateRows(row)
  }

  /**
   * `set column = column + amount` on every matching row (global scopes apply; no model events),
   * with `extra` columns in the same statement; resolves to the number of rows affected. Sets
   * `updatedAt` and bumps `version` as `update()` does.
   *
   * ```ts
   * await Post.query().where('authorId', 1).increment('views', 1, { lastViewedAt: new Date() })
   * ```
   */
  async increment(column: ColumnRef<M>, amount = 1, extra?: ModelAttributes<M>): Promise<number> {
    const target = this.meta.byColumn.get(this.target.resolveColumn(column))
    if (!target) throw unknownColumn(this.meta, column, 'increment()')
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      throw new QuarryError(`increment() amount must be a finite number, got ${JSON.stringify(amount)}`)
    }
    const row = extra === undefined ? {} : this.columnValues(extra, 'increment()')
    if (target.column in row) throw new QuarryError(`increment(): "${column}" is the column being incremented; it cannot also be set`)
    const knex = this.target.connection().current()
    row[target.column] = knex.raw('?? + ?', [target.column, amount]) as unknown as Knex.Value
    const { updatedAt, version } = this.meta
    if (updatedAt && !(updatedAt.column in row)) row[updatedAt.column] = new Date()
    if (version && !(version.column in row)) row[version.column] = knex.raw('?? + 1', [version.column]) as unknown as Knex.Value
    return this.updateRows(row)
  }

  /** `set column = column - amount` on every matching row, with `extra` columns as `increment()`. */
  async decrement(column: ColumnRef<M>, amount = 1, extra?: ModelAttributes<M>): Promise<number> {
    return this.increment(column, typeof amount === 'number' ? -amount : amount, extra)
  }

  /** Deletes every matching row: a soft delete (setting `deletedAt`) when the model has one. */
  async delete(): Promise<number> {
    const { deletedAt, updatedAt } = this.meta
    if (!deletedAt) return this.deleteRows()
    const now = new Date()
    const row: Row = { [deletedAt.column]: now }
    if (updatedAt) row[updatedAt.column] = now
    return this.updateRows(row)
  }

  /** Removes every matching row, soft deletes or not. */
  async forceDelete(): Promise<number> {
    return this.deleteRows()
  }

  /** Restores every matching soft-deleted row. */
  async restore(): Promise<number> {
    const deletedAt = this.requireSoftDeletes('restore')
    const query = this.clone().onlyTrashed()
    const row: Row = { [deletedAt.column]: null }
    if (this.meta.updatedAt) row[this.meta.updatedAt.column] = new Date()
    return query.updateRows(row)
  }

  // ---- relations: the work is in src/relations -------------------------------------------

  /**
   * Eager-loads relations with the results: one query per relation per level, whatever the
   * number of rows. Dotted paths nest; a callback constrains the last relation of its path.
   *
   * ```ts
   * await User.query().with('posts.comments.author')
   * await User.query().with('posts', (q) => q.where('published', true).orderBy('createdAt'))
   * await User.query().with('roles', 'profile')
   * ```
   */
  with<const P extends readonly string[]>(paths: ValidPaths<M, P>): this
  with<P extends string>(path: ValidPath<M, P>, constrain: RelationConstraint<M, P>): this
  with<const P extends readonly string[]>(...paths: ValidPaths<M, P>): this
  with(...args: unknown[]): this {
    const state = this.$relationQuery()
    const requests = eagerRequests(this.meta, args, 'with')
    if (state.eager) state.eager.push(...requests)
    else state.eager = requests
    return this
  }

  /**
   * Selects the number of related rows as `$extras.<relation>Count` (a number; at the top level
   * in `toJSON()`), or under `alias`: `withCount('posts', (q) => q.where('published', true), 'publishedCount')`.
   */
  withCount<P extends string>(path: ValidPath<M, P>, constrain?: RelationConstraint<M, P>, alias?: string): this {
    return this.withAggregate('count', path, undefined, constrain, alias)
  }

  /** `withSum('posts', 'views')` → `$extras.postsSumViews` (0 when there are none). */
  withSum<P extends string>(path: ValidPath<M, P>, column: RelatedColumn<M, P>, constrain?: RelationConstraint<M, P>, alias?: string): this {
    return this.withAggregate('sum', path, column, constrain, alias)
  }

  /** `withAvg('posts', 'views')` → `$extras.postsAvgViews` (null when there are none). */
  withAvg<P extends string>(path: ValidPath<M, P>, column: RelatedColumn<M, P>, constrain?: RelationConstraint<M, P>, alias?: string): this {
    return this.withAggregate('avg', path, column, constrain, alias)
  }

  /** `withMin('posts', 'views')` → `$extras.postsMinViews`. */
  withMin<P extends string>(path: ValidPath<M, P>, column: RelatedColumn<M, P>, constrain?: RelationConstraint<M, P>, alias?: string): this {
    return this.withAggregate('min', path, column, constrain, alias)
  }

  /** `withMax('posts', 'views')` → `$extras.postsMaxViews`. */
  withMax<P extends string>(path: ValidPath<M, P>, column: RelatedColumn<M, P>, constrain?: RelationConstraint<M, P>, alias?: string): this {
    return this.withAggregate('max', path, column, constrain, alias)
  }

  private withAggregate(fn: AggregateFunction, path: string, column: string | undefined, constrain: unknown, alias: string | undefined): this {
    const state = this.$relationQuery()
    const aggregate = relationAggregate(this.meta, state.ref(this.meta), fn, path, column, constrain as Constraint, alias, this.enclosingScope())
    if (state.aggregates) state.aggregates.push(aggregate)
    else state.aggregates = [aggregate]
    return this
  }

  /** Rows with related rows: `has('posts')`, `has('posts', '>=', 3)`, `has('posts.comments')`. */
  has<P extends string>(path: ValidPath<M, P>, operator: Operator = '>=', count = 1): this {
    return this.$has(path, { bool: 'and', operator, count, constrain: undefined })
  }

  orHas<P extends string>(path: ValidPath<M, P>, operator: Operator = '>=', count = 1): this {
    return this.$has(path, { bool: 'or', operator, count, constrain: undefined })
  }

  /** Rows with related rows matching the constraint: `whereHas('posts', (q) => q.where('published', true))`. */
  whereHas<P extends string>(path: ValidPath<M, P>, constrain?: RelationConstraint<M, P>, operator: Operator = '>=', count = 1): this {
    return this.$has(path, { bool: 'and', operator, count, constrain: constrain as Constraint })
  }

  orWhereHas<P extends string>(path: ValidPath<M, P>, constrain?: RelationConstraint<M, P>, operator: Operator = '>=', count = 1): this {
    return this.$has(path, { bool: 'or', operator, count, constrain: constrain as Constraint })
  }

  /** Rows without related rows: `doesntHave('posts')`. */
  doesntHave<P extends string>(path: ValidPath<M, P>): this {
    return this.$has(path, { bool: 'and', operator: '<', count: 1, constrain: undefined })
  }

  orDoesntHave<P extends string>(path: ValidPath<M, P>): this {
    return this.$has(path, { bool: 'or', operator: '<', count: 1, constrain: undefined })
  }

  /** Rows without related rows matching the constraint. */
  whereDoesntHave<P extends string>(path: ValidPath<M, P>, constrain?: RelationConstraint<M, P>): this {
    return this.$has(path, { bool: 'and', operator: '<', count: 1, constrain: constrain as Constraint })
  }

  orWhereDoesntHave<P extends string>(path: ValidPath<M, P>, constrain?: RelationConstraint<M, P>): this {
    return this.$has(path, { bool: 'or', operator: '<', count: 1, constrain: constrain as Constraint })
  }

  /** @internal Every has-variant: a correlated subquery clause (src/relations). */
  $has(path: string, options: HasOptions): this {
    return this.addWhere(hasClause(this.meta, this.$relationState?.ref(this.meta) ?? this.meta.table, path, options, this.enclosingScope()))
  }

  /** @internal The relation state, made on first use. */
  $relationQuery(): RelationQueryState {
    return (this.$relationState ??= new RelationQueryState())
  }

  /** @internal Adds an already-resolved clause (relations join pivot and through tables with these). */
  $clause(part: 'where' | 'join' | 'select', clause: Clause): this {
    if (part === 'where') this.wheres.push(clause)
    else if (part === 'join') this.joins.push(clause)
    else {
      this.selects.push(clause)
      this.customSelect = true
    }
    return this
  }

  protected override compile(knex: Knex, parts: { orders: boolean; paging: boolean; select: boolean; lock?: boolean }): Knex.QueryBuilder {
    const state = this.$relationState
    if (state?.partition !== undefined && parts.paging && parts.select && (this.limitValue !== undefined || this.offsetValue !== undefined)) {
      // An eager query's limit/offset apply to each parent: ranked within the parent, then cut.
      if (this.lock) throw new QuarryError(`${this.meta.name}: an eager constraint with a limit or an offset cannot lock rows (forUpdate/forShare); lock them with a query of their own`)
      const inner = super.compile(knex, { ...parts, orders: false, paging: false })
      state.compile(inner, knex, this.meta, true, this.selects.length === 0)
      const how = { partition: state.partition, orders: this.orders, limit: this.limitValue, offset: this.offsetValue, meta: this.meta, ref: state.ref(this.meta) }
      return rankedPerParent(inner, knex, { ...how, selectsNothing: this.selects.length === 0 && !state.aggregates })
    }
    const builder = super.compile(knex, parts)
    state?.compile(builder, knex, this.meta, parts.select, this.selects.length === 0)
    return builder
  }

  protected override materialize(rows: Row[]): R[] | Promise<R[]> {
    const models = super.materialize(rows) as unknown as M[] | Promise<M[]>
    const state = this.$relationState
    return (state ? state.finish(models, this.writer) : models) as unknown as R[] | Promise<R[]>
  }
}
