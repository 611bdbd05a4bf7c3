import type { Knex } from 'knex'
import { ModelNotFoundError, QuarryError } from '../errors/index.js'
import { type AggregateSource, runAggregate } from './aggregates.js'
import { checkCount, checkDirection } from './direction.js'
import { applyOrders, type OrderItem } from './order.js'
import { chunk, cursor, cursorPaginate, paginate, type CursorPage, type Page } from './paginators.js'
import type { ColumnResult, NumericColumn } from './column-values.js'
import { pluckRows } from './pluck.js'
import type { Direction, Operator, Row, Value } from './query-target.js'
import { type Clause, checkOperator, invoke, nullTest, WhereBuilder, type Subquery } from './where-builder.js'

/** A select item: a column, or `{ alias: column }`. */
export type SelectItem<C extends string> = C | Readonly<Record<string, C>>

/**
 * A query over one table that knows SQL but not models: conditions, joins, grouping, ordering,
 * paging, locks, aggregates, pagination and streaming. It records what is asked and compiles to a
 * knex builder only when it runs, on the connection (and transaction) current at that moment.
 * Awaiting it resolves to the results.
 *
 * ```ts
 * const adults = await User.query().where('age', '>=', 18).orderBy('name').limit(10)
 * ```
 */
export abstract class QueryBuilder<T, C extends string, V = {}> extends WhereBuilder<T, C, V> implements Promise<T[]>, Subquery {
  protected selects: Clause[] = []
  protected joins: Clause[] = []
  protected groups: Clause[] = []
  protected havings: Clause[] = []
  protected orders: OrderItem[] = []
  protected limitValue: number | undefined
  protected offsetValue: number | undefined
  protected lock: 'update' | 'share' | undefined
  protected distinctValue = false
  protected writer = false
  /** The select list was customised: rows may carry columns that are not the model's. */
  protected customSelect = false

  /** Copies this query's state into `target` (a fresh `spawn()`); subclasses add theirs. */
  protected copyInto(copy: this): this {
    copy.wheres = [...this.wheres]
    copy.selects = [...this.selects]
    copy.joins = [...this.joins]
    copy.groups = [...this.groups]
    copy.havings = [...this.havings]
    copy.orders = [...this.orders]
    copy.limitValue = this.limitValue
    copy.offsetValue = this.offsetValue
    copy.lock = this.lock
    copy.distinctValue = this.distinctValue
    copy.writer = this.writer
    copy.customSelect = this.customSelect
    return copy
  }

  /** An independent copy: changing one does not change the other. */
  clone(): this {
    return this.copyInto(this.spawn())
  }

  /** The query as it should run: subclasses apply what is pending (global scopes) to a copy. */
  protected prepared(): this {
    return this
  }

  /** Selects columns (`select('id', 'email')`, `select({ mail: 'email' })`); `*` by default. */
  select(...columns: Array<SelectItem<C>>): this {
    const items = columns.map((item) => {
      if (typeof item === 'string') return this.target.resolveColumn(item)
      return Object.fromEntries(Object.entries(item).map(([alias, column]) => [alias, this.column(column)]))
    })
    if (items.some((item) => typeof item !== 'string')) this.customSelect = true
    this.selects.push((b) => void b.select(items as string[]))
    return this
  }

  /** Adds an expression to the select list: `selectRaw('count(*) over () as ??', ['total'])`. */
  selectRaw(sql: string, bindings: readonly Value[] = []): this {
    const list = [...bindings]
    this.customSelect = true
    this.selects.push((b, knex) => void b.select(knex.raw(sql, list as Knex.RawBinding[])))
    return this
  }

  /** `select distinct`; with columns, only those are selected. */
  distinct(...columns: C[]): this {
    if (columns.length) this.select(...columns)
    this.distinctValue = true
    return this
  }

  /** Inner join: `join('posts', 'posts.authorId', 'users.id')` (operator optional). */
  join(table: string, first: C, second: C): this
  join(table: string, first: C, operator: Operator, second: C): this
  join(table: string, first: C, ...rest: string[]): this {
    return this.addJoin('join', table, first, rest)
  }

  leftJoin(table: string, first: C, second: C): this
  leftJoin(table: string, first: C, operator: Operator, second: C): this
  leftJoin(table: string, first: C, ...rest: string[]): this {
    return this.addJoin('leftJoin', table, first, rest)
  }

  rightJoin(table: string, first: C, second: C): this
  rightJoin(table: string, first: C, operator: Operator, second: C): this
  rightJoin(table: string, first: C, ...rest: string[]): this {
    return this.addJoin('rightJoin', table, first, rest)
  }

  private addJoin(method: string, table: string, first: string, rest: string[]): this {
    if (typeof table !== 'string' || !table) throw new QuarryError(`${method}() needs a table name`)
    this.joined(table)
    const operator = rest.length === 2 ? checkOperator(rest[0]) : '='
    const left = this.column(first)
    const right = this.column(rest[rest.length - 1]!)
    this.joins.push((b) => invoke(b, method, table, left, operator, right))
    return this
  }

  /** `joinRaw('left join posts p on p.author_id = users.id and p.published = ?', [true])`. */
  joinRaw(sql: string, bindings: readonly Value[] = []): this {
    this.joined(undefined)
    const list = [...bindings]
    this.joins.push((b) => invoke(b, 'joinRaw', sql, list))
    return this
  }

  /** Told of each join before its columns are resolved (`undefined`: a raw join, tables unknown). */
  protected joined(_table: string | undefined): void {}

  /** `groupBy('active')`. */
  groupBy(...columns: C[]): this {
    const names = columns.map((c) => this.column(c))
    this.groups.push((b) => void b.groupBy(names))
    return this
  }

  groupByRaw(sql: string, bindings: readonly Value[] = []): this {
    const list = [...bindings]
    this.groups.push((b) => void b.groupByRaw(sql, list as Knex.RawBinding[]))
    return this
  }

  /** `having('age', '>', 30)` (on a grouped column); `havingRaw('count(*) > ?', [2])` for aggregates. */
  having(column: C, operator: Operator, value: Value): this {
    return this.addHaving('having', column, operator, value)
  }

  /** `orHaving('total', '>', 5)`: a HAVING condition joined with OR. */
  orHaving(column: C, operator: Operator, value: Value): this {
    return this.addHaving('orHaving', column, operator, value)
  }

  private addHaving(method: 'having' | 'orHaving', column: C, operator: Operator, value: Value): this {
    const name = this.column(column)
    const op = checkOperator(operator)
    if (value === undefined) throw new QuarryError(`${method}('${column}', …): undefined cannot be compared; use null for NULL`)
    if (value === null) {
      // As in where(): `= null` is IS NULL, `!=`/`<>` null IS NOT NULL, anything else an error.
      const nullMethod = `${method}${nullTest(op, column) ? 'Null' : 'NotNull'}`
      this.havings.push((b) => invoke(b, nullMethod, name))
      return this
    }
    this.havings.push((b) => invoke(b, method, name, op, value))
    return this
  }

  havingRaw(sql: string, bindings: readonly Value[] = []): this {
    const list = [...bindings]
    this.havings.push((b) => void b.havingRaw(sql, list as Knex.RawBinding[]))
    return this
  }

  orHavingRaw(sql: string, bindings: readonly Value[] = []): this {
    const list = [...bindings]
    this.havings.push((b) => void b.orHavingRaw(sql, list as Knex.RawBinding[]))
    return this
  }

  /** `orderBy('createdAt', 'desc')`. Any direction but asc/desc throws before any SQL. */
  orderBy(column: C, direction: Direction = 'asc'): this {
    this.orders.push({ column: this.column(column), direction: checkDirection(direction) })
    return this
  }

  /** `orderByRaw('lower(name) asc')`. */
  orderByRaw(sql: string, bindings: readonly Value[] = []): this {
    this.orders.push({ raw: sql, bindings: [...bindings] })
    return this
  }

  /** Drops every ordering given so far. */
  reorder(): this {
    this.orders = []
    return this
  }

  /** `limit(10)`. */
  limit(count: number): this {
    this.limitValue = checkCount('limit()', count)
    return this
  }

  /** `offset(20)`. */
  offset(count: number): this {
    this.offsetValue = checkCount('offset()', count)
    return this
  }

  /** Limit and offset for page `page` (from 1) of `perPage` rows. */
  forPage(page: number, perPage: number): this {
    checkCount('page', page, 1)
    checkCount('perPage', perPage, 1)
    return this.offset((page - 1) * perPage).limit(perPage)
  }

  /** `SELECT … FOR UPDATE` where the database has row locks; always runs on the primary. */
  forUpdate(): this {
    this.lock = 'update'
    this.writer = true
    return this
  }

  /** `SELECT … FOR SHARE` where the database has row locks; always runs on the primary. */
  forShare(): this {
    this.lock = 'share'
    this.writer = true
    return this
  }

  /** Sends this read to the primary rather than a replica. */
  onWriter(): this {
    this.writer = true
    return this
  }

  /** The knex to build on now: the open transaction of this async context, else the primary. */
  protected knex(): Knex {
    return this.target.connection().current()
  }

  /** Compiles the query to a knex builder (the escape hatch; also how subqueries embed). */
  toKnexQuery(knex: Knex = this.knex()): Knex.QueryBuilder {
    return this.prepared().compile(knex, { orders: true, paging: true, select: true })
  }

  /** Adds every recorded part to a fresh builder on `knex`. */
  protected compile(knex: Knex, parts: { orders: boolean; paging: boolean; select: boolean; lock?: boolean }): Knex.QueryBuilder {
    const builder = knex(this.target.table)
    for (const join of this.joins) join(builder, knex)
    if (parts.select) {
      for (const select of this.selects) select(builder, knex)
      if (this.distinctValue) builder.distinct()
    }
    this.applyWheres(builder, knex)
    for (const group of this.groups) group(builder, knex)
    for (const having of this.havings) having(builder, knex)
    if (parts.orders) applyOrders(builder, this.orders)
    if (parts.paging) {
      if (this.limitValue !== undefined) builder.limit(this.limitValue)
      if (this.offsetValue !== undefined) builder.offset(this.offsetValue)
    }
    if (this.lock && parts.lock !== false && this.target.connection().dialect.supports.rowLocks) {
      if (this.lock === 'update') builder.forUpdate()
      else builder.forShare()
    }
    if (this.writer) (builder as unknown as { _quarryWriter: boolean })._quarryWriter = true
    return builder
  }

  /** The SQL and bindings this query would send, as the driver receives them. */
  toSQL(): { sql: string; bindings: unknown[] } {
    const native = this.toKnexQuery().toSQL().toNative()
    return { sql: native.sql, bindings: [...native.bindings] }
  }

  /** Runs the query: the results. (Awaiting the query does the same.) */
  async get(): Promise<T[]> {
    const rows = (await this.toKnexQuery()) as Row[]
    return this.materialize(rows)
  }

  /**
   * Rows to results: every terminal read (`get`, `first`, the paginators, `chunk`, `cursor`) ends
   * here, so a subclass can add to what a result carries (eager-loaded relations) in one place.
   */
  protected materialize(rows: Row[]): T[] | Promise<T[]> {
    return this.target.hydrate(rows, this.customSelect)
  }

  then<R1 = T[], R2 = never>(
    onfulfilled?: ((value: T[]) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.get().then(onfulfilled, onrejected)
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T[] | R> {
    return this.get().catch(onrejected)
  }

  finally(onfinally?: (() => void) | null): Promise<T[]> {
    return this.get().finally(onfinally)
  }

  get [Symbol.toStringTag](): string {
    return 'QueryBuilder'
  }

  /** The first result, or `null`. */
  async first(): Promise<T | null> {
    // Compiled with limit 1 directly: the query itself is left as it was, and no copy is made.
    const builder = this.prepared().compile(this.knex(), { orders: true, paging: false, select: true })
    if (this.offsetValue !== undefined) builder.offset(this.offsetValue)
    // A literal `limit 1`: SQLite plans a bound limit more slowly (a find by key took twice as long).
    const rows = (await builder.limit(1, { skipBinding: true })) as Row[]
    if (!rows.length) return null
    const results = this.materialize(rows)
    const [item] = Array.isArray(results) ? results : await results
    return item ?? null
  }

  /** The first result, or `ModelNotFoundError` naming the model. */
  async firstOrFail(): Promise<T> {
    const item = await this.first()
    if (item === null) throw new ModelNotFoundError(this.target.name)
    return item
  }

  /** Whether any row matches. */
  async exists(): Promise<boolean> {
    const knex = this.knex()
    const rows = await this.prepared().compile(knex, { orders: false, paging: false, select: false })
      .clearSelect().select(knex.raw('1 as ??', ['one'])).limit(1)
    return (rows as unknown[]).length > 0
  }

  /**
   * The values of one column: `await User.query().pluck('email')` → `['a@b.c', …]`; with a key
   * column, an object keyed by it: `pluck('email', 'id')` → `{ 1: 'a@b.c', 2: … }` (a later row
   * wins a repeated key).
   */
  pluck<K extends C>(column: K): Promise<Array<ColumnResult<V, K>>>
  pluck<K extends C>(column: K, key: C): Promise<Record<string, ColumnResult<V, K>>>
  async pluck(column: C, key?: C): Promise<unknown[] | Record<string, unknown>> {
    const name = this.column(column)
    const keyName = key === undefined ? undefined : this.column(key)
    const builder = this.prepared().compile(this.knex(), { orders: true, paging: true, select: false })
    return pluckRows(builder, name, keyName, this.target.reader?.(name))
  }

  /** The number of rows (non-null values of `column`) the query matches. */
  async count(column: C | '*' = '*'): Promise<number> {
    return this.aggregate('count', column === '*' ? '*' : this.column(column)) as Promise<number>
  }

  /** The sum of `column`, 0 when no rows match. */
  async sum(column: NumericColumn<C, V>): Promise<number> {
    return this.aggregate('sum', this.column(column)) as Promise<number>
  }

  /** The average of `column`, `null` when no rows match. */
  async avg(column: NumericColumn<C, V>): Promise<number | null> {
    return this.aggregate('avg', this.column(column))
  }

  async min(column: C): Promise<number | null> {
    return this.aggregate('min', this.column(column))
  }

  async max(column: C): Promise<number | null> {
    return this.aggregate('max', this.column(column))
  }

  private async aggregate(fn: 'count' | 'sum' | 'avg' | 'min' | 'max', column: string): Promise<number | null> {
    const query = this.prepared()
    const source: AggregateSource = {
      grouped: query.groups.length > 0 || query.havings.length > 0,
      distinct: query.distinctValue,
      paged: query.limitValue !== undefined || query.offsetValue !== undefined,
      knex: () => query.knex(),
      // PostgreSQL refuses FOR UPDATE/SHARE with aggregates; an aggregate locks nothing anyway.
      compileForAggregate: (knex, keep) => query.compile(knex, { orders: false, paging: keep, select: keep, lock: false }),
      dates: query.target.connection().dialect.dates,
    }
    return runAggregate(source, fn, column)
  }

  /**
   * Mass update of every matching row with already-resolved column names; resolves to the number
   * of rows affected. No model events run.
   */
  protected async updateRows(values: Row): Promise<number> {
    if (!Object.keys(values).length) throw new QuarryError('update() needs at least one column to set')
    const builder = this.prepared().compile(this.knex(), { orders: false, paging: false, select: false })
    return Number(await builder.update(values))
  }

  /** Deletes every matching row; resolves to the number deleted. */
  protected async deleteRows(): Promise<number> {
    const builder = this.prepared().compile(this.knex(), { orders: false, paging: false, select: false })
    return Number(await builder.delete())
  }

  /**
   * Page `page` (from 1) of `perPage` results, with the total counted in one extra query:
   * `{ data, meta: { total, perPage, currentPage, lastPage, firstPage, hasMorePages } }`.
   */
  async paginate(page = 1, perPage = 20): Promise<Page<T>> {
    return paginate(this, page, perPage)
  }

  /**
   * Keyset pagination: `perPage` results after (or before) `cursor`, ordered by this query's
   * `orderBy` columns with the primary key breaking ties. Cursors are opaque strings.
   */
  async cursorPaginate(perPage = 20, cursorValue?: string | null): Promise<CursorPage<T>> {
    return cursorPaginate(this, perPage, cursorValue ?? null)
  }

  /** Calls `fn` with successive batches of `size` results; return `false` from it to stop. */
  async chunk(size: number, fn: (items: T[], index: number) => unknown): Promise<void> {
    return chunk(this, size, fn)
  }

  /**
   * Iterates every result with bounded memory: rows are fetched in keyset batches of
   * `batchSize`, so no connection is held between batches and the loop body may query freely.
   */
  cursor(options: { batchSize?: number } = {}): AsyncIterableIterator<T> {
    const batchSize = checkCount('cursor() batchSize', options.batchSize ?? 1000, 1)
    return cursor(this, batchSize)
  }

  /** @internal What the paginators need to see. */
  get $state(): { orders: readonly OrderItem[]; limit: number | undefined; offset: number | undefined } {
    return { orders: this.orders, limit: this.limitValue, offset: this.offsetValue }
  }

  /** @internal A copy with `extra` ANDed onto the conditions (which are grouped first) and new paging. */
  $narrowed(extra: Clause | undefined, orders: OrderItem[], limit: number | undefined, offset: number | undefined): this {
    const copy = this.clone()
    const conditions = copy.wheres
    copy.wheres = conditions.length ? [(b, knex) => void b.where((inner: Knex.QueryBuilder) => { for (const c of conditions) c(inner, knex) })] : []
    if (extra) copy.wheres.push(extra)
    copy.orders = orders
    copy.limitValue = limit
    copy.offsetValue = offset
    return copy
  }
}
