import type { Knex } from 'knex'
import { QuarryError, UnknownColumnError } from '../errors/index.js'
import type { ColumnValue, WhereConditions } from './column-values.js'
import type { Operator, QueryTarget, Value } from './query-target.js'

/** One recorded clause, replayed onto a fresh knex builder when the query runs. */
export type Clause = (builder: Knex.QueryBuilder, knex: Knex) => void

/** Something that compiles to a subquery: another Quarry query. */
export interface Subquery {
  toKnexQuery(knex: Knex): Knex.QueryBuilder
}

type Bool = 'and' | 'or'

const OPERATORS = new Set(['=', '<', '>', '<=', '>=', '<>', '!=', 'like', 'not like', 'ilike', 'not ilike'])

/** The operator lowercased, or a `QuarryError` naming it; nothing reaches SQL unchecked. */
export function checkOperator(operator: unknown): string {
  const op = typeof operator === 'string' ? operator.toLowerCase() : ''
  if (!OPERATORS.has(op)) {
    throw new QuarryError(`Unknown comparison operator ${JSON.stringify(operator)}; use one of ${[...OPERATORS].join(', ')}`)
  }
  return op
}

/** Calls a knex builder method chosen at run time (`where`/`orWhere`/`whereNot`…). */
export function invoke(builder: Knex.QueryBuilder, method: string, ...args: unknown[]): void {
  ;(builder as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...args)
}

function isSubquery(value: unknown): value is Subquery {
  return typeof value === 'object' && value !== null && typeof (value as Subquery).toKnexQuery === 'function'
}

function bindable(value: unknown, knex: Knex): Knex.Value | Knex.QueryBuilder {
  if (isSubquery(value)) return value.toKnexQuery(knex)
  if (value === undefined) throw new QuarryError('undefined cannot be compared; use null and whereNull() for NULL')
  return value as Knex.Value
}

/**
 * Whether a comparison with `null` means `IS NULL` (`=`) or `IS NOT NULL` (`!=`, `<>`); any other
 * operator has no meaning with NULL and is a `QuarryError` naming the column.
 */
export function nullTest(operator: string, column: string): boolean {
  if (operator === '=') return true
  if (operator === '!=' || operator === '<>') return false
  throw new QuarryError(
    `"${column}" ${operator} null matches no row in SQL; compare null only with =, != or <> (IS NULL / IS NOT NULL), or use whereNull()/whereNotNull()`,
  )
}

function checkValue(value: unknown): void {
  if (value === undefined) throw new QuarryError('undefined cannot be compared; use null and whereNull() for NULL')
}

/**
 * The WHERE half of a query: every condition variant, `and`/`or`, nested groups, subqueries.
 * Column names go through the target's resolver as they are given, so an unknown one throws
 * `UnknownColumnError` at the call, before any SQL exists.
 */
export abstract class WhereBuilder<T, C extends string, V = {}> {
  protected wheres: Clause[] = []

  constructor(readonly target: QueryTarget<T>) {}

  /** A fresh, empty query over the same target, for nested groups (`where((q) => ...)`). */
  protected abstract spawn(): this

  /** A column in a condition, an ordering, a grouping or an aggregate: never `*`, which only `select()` takes. */
  protected column(name: string): string {
    const resolved = this.target.resolveColumn(name)
    if (resolved === '*' || resolved.endsWith('.*')) throw new UnknownColumnError(this.target.name, name)
    return resolved
  }

  protected addWhere(clause: Clause): this {
    this.wheres.push(clause)
    return this
  }

  /** Replays the conditions onto `builder`. */
  protected applyWheres(builder: Knex.QueryBuilder, knex: Knex): void {
    for (const clause of this.wheres) clause(builder, knex)
  }

  /**
   * Adds a condition: `where('age', '>', 18)`, `where('email', x)`, `where({ active: true })`,
   * or a group: `where((q) => q.where('a', 1).orWhere('b', 2))` → `where ("a" = ? or "b" = ?)`.
   */
  where(callback: (query: this) => unknown): this
  where(conditions: WhereConditions<C, V>): this
  where<K extends C>(column: K, value: ColumnValue<V, K> | Subquery): this
  where<K extends C>(column: K, operator: Operator, value: ColumnValue<V, K> | Subquery): this
  where(...args: unknown[]): this {
    return this.condition('and', false, args)
  }

  /** `orWhere('name', null)` etc.: the same forms as `where`, joined with OR. */
  orWhere(callback: (query: this) => unknown): this
  orWhere(conditions: WhereConditions<C, V>): this
  orWhere<K extends C>(column: K, value: ColumnValue<V, K> | Subquery): this
  orWhere<K extends C>(column: K, operator: Operator, value: ColumnValue<V, K> | Subquery): this
  orWhere(...args: unknown[]): this {
    return this.condition('or', false, args)
  }

  /** Negates a condition or a group: `whereNot('active', true)`, `whereNot((q) => ...)`. */
  whereNot(callback: (query: this) => unknown): this
  whereNot(conditions: WhereConditions<C, V>): this
  whereNot<K extends C>(column: K, value: ColumnValue<V, K> | Subquery): this
  whereNot<K extends C>(column: K, operator: Operator, value: ColumnValue<V, K> | Subquery): this
  whereNot(...args: unknown[]): this {
    return this.condition('and', true, args)
  }

  orWhereNot(callback: (query: this) => unknown): this
  orWhereNot(conditions: WhereConditions<C, V>): this
  orWhereNot<K extends C>(column: K, value: ColumnValue<V, K> | Subquery): this
  orWhereNot<K extends C>(column: K, operator: Operator, value: ColumnValue<V, K> | Subquery): this
  orWhereNot(...args: unknown[]): this {
    return this.condition('or', true, args)
  }

  private condition(bool: Bool, not: boolean, args: unknown[]): this {
    const method = `${bool === 'or' ? 'orWhere' : 'where'}${not ? 'Not' : ''}`
    const [first] = args
    if (typeof first === 'function') return this.group(method, first as (query: this) => unknown)
    if (args.length === 1 && typeof first === 'object' && first !== null) {
      const entries = Object.entries(first).map(([key, value]) => {
        checkValue(value)
        const column = this.column(key)
        return [column, this.dated(column, value)] as const
      })
      return this.addWhere((b, knex) => {
        invoke(b, method, (inner: Knex.QueryBuilder) => {
          for (const [column, value] of entries) {
            if (value === null) inner.whereNull(column)
            else inner.where(column, bindable(value, knex))
          }
        })
      })
    }
    if (typeof first !== 'string') throw new QuarryError(`where() expects a column name, an object or a callback, not ${typeof first}`)
    const column = this.column(first)
    if (args.length === 2) {
      checkValue(args[1])
      const value = this.dated(column, args[1])
      if (value === null) return this.addWhere((b) => invoke(b, `${bool === 'or' ? 'orWhere' : 'where'}${not ? 'NotNull' : 'Null'}`, column))
      return this.addWhere((b, knex) => invoke(b, method, column, bindable(value, knex)))
    }
    if (args.length !== 3) throw new QuarryError(`where() takes (column, value) or (column, operator, value); got ${args.length} arguments`)
    const operator = checkOperator(args[1])
    checkValue(args[2])
    const value = this.dated(column, args[2])
    if (value === null) {
      // `= null` is IS NULL and `!=`/`<>` null IS NOT NULL; a bound NULL would match nothing.
      const isNull = nullTest(operator, first) !== not
      const nullMethod = `${bool === 'or' ? 'orWhere' : 'where'}${isNull ? 'Null' : 'NotNull'}`
      return this.addWhere((b) => invoke(b, nullMethod, column))
    }
    if (operator.endsWith('ilike')) {
      // Case-insensitive LIKE is spelled differently per database; knex's whereILike knows how.
      const negated = not !== operator.startsWith('not ')
      const outer = `${bool === 'or' ? 'orWhere' : 'where'}${negated ? 'Not' : ''}`
      return this.addWhere((b, knex) => {
        invoke(b, outer, (inner: Knex.QueryBuilder) => void inner.whereILike(column, bindable(value, knex) as string))
      })
    }
    return this.addWhere((b, knex) => invoke(b, method, column, operator, bindable(value, knex)))
  }

  /** A `Date` compared with `column`, bound as the column stores it (see `QueryTarget.bindDate`). */
  private dated<V>(column: string, value: V): V {
    return value instanceof Date && this.target.bindDate ? (this.target.bindDate(column, value) as V) : value
  }

  private group(method: string, callback: (query: this) => unknown): this {
    const nested = this.spawn()
    callback(nested)
    if (!nested.wheres.length) return this
    return this.addWhere((b, knex) => invoke(b, method, (inner: Knex.QueryBuilder) => nested.applyWheres(inner, knex)))
  }

  /** `whereIn('id', [1, 2])`, or a subquery: `whereIn('id', Post.query().select('authorId'))`. */
  whereIn<K extends C>(column: K, values: ReadonlyArray<ColumnValue<V, K>> | Subquery): this {
    return this.inList('whereIn', column, values as readonly Value[])
  }

  orWhereIn<K extends C>(column: K, values: ReadonlyArray<ColumnValue<V, K>> | Subquery): this {
    return this.inList('orWhereIn', column, values as readonly Value[])
  }

  whereNotIn<K extends C>(column: K, values: ReadonlyArray<ColumnValue<V, K>> | Subquery): this {
    return this.inList('whereNotIn', column, values as readonly Value[])
  }

  orWhereNotIn<K extends C>(column: K, values: ReadonlyArray<ColumnValue<V, K>> | Subquery): this {
    return this.inList('orWhereNotIn', column, values as readonly Value[])
  }

  private inList(method: string, name: C, values: readonly Value[] | Subquery): this {
    const column = this.column(name)
    if (!isSubquery(values)) {
      if (!Array.isArray(values)) throw new QuarryError(`${method}('${name}', …) expects an array or a subquery`)
      values.forEach(checkValue)
      const list = values.map((value) => this.dated(column, value))
      // An empty list matches nothing (and NOT IN () everything); knex compiles both soundly.
      return this.addWhere((b) => invoke(b, method, column, list))
    }
    return this.addWhere((b, knex) => invoke(b, method, column, values.toKnexQuery(knex)))
  }

  /** `whereNull('deletedAt')` → `where "deleted_at" is null`. */
  whereNull(column: C): this {
    const name = this.column(column)
    return this.addWhere((b) => void b.whereNull(name))
  }

  orWhereNull(column: C): this {
    const name = this.column(column)
    return this.addWhere((b) => void b.orWhereNull(name))
  }

  whereNotNull(column: C): this {
    const name = this.column(column)
    return this.addWhere((b) => void b.whereNotNull(name))
  }

  orWhereNotNull(column: C): this {
    const name = this.column(column)
    return this.addWhere((b) => void b.orWhereNotNull(name))
  }

  /** `whereBetween('age', [18, 65])`: both ends included. */
  whereBetween<K extends C>(column: K, range: readonly [ColumnValue<V, K>, ColumnValue<V, K>]): this {
    return this.between('whereBetween', column, range as readonly [Value, Value])
  }

  orWhereBetween<K extends C>(column: K, range: readonly [ColumnValue<V, K>, ColumnValue<V, K>]): this {
    return this.between('orWhereBetween', column, range as readonly [Value, Value])
  }

  whereNotBetween<K extends C>(column: K, range: readonly [ColumnValue<V, K>, ColumnValue<V, K>]): this {
    return this.between('whereNotBetween', column, range as readonly [Value, Value])
  }

  orWhereNotBetween<K extends C>(column: K, range: readonly [ColumnValue<V, K>, ColumnValue<V, K>]): this {
    return this.between('orWhereNotBetween', column, range as readonly [Value, Value])
  }

  private between(method: string, name: C, range: readonly [Value, Value]): this {
    const column = this.column(name)
    if (!Array.isArray(range) || range.length !== 2) throw new QuarryError(`${method}('${name}', …) expects [low, high]`)
    range.forEach(checkValue)
    const [low, high] = range.map((value) => this.dated(column, value))
    return this.addWhere((b) => invoke(b, method, column, [low, high]))
  }

  /** `whereLike('name', 'Jo%')`: SQL LIKE, case sensitivity as the column's collation has it. */
  whereLike(column: C, pattern: string): this {
    return this.where(column, 'like', pattern as never)
  }

  orWhereLike(column: C, pattern: string): this {
    return this.orWhere(column, 'like', pattern as never)
  }

  /** `whereILike('email', '%@EXAMPLE.com')`: case-insensitive on every database. */
  whereILike(column: C, pattern: string): this {
    return this.where(column, 'ilike', pattern as never)
  }

  orWhereILike(column: C, pattern: string): this {
    return this.orWhere(column, 'ilike', pattern as never)
  }

  /**
   * Compares two columns: `whereColumn('updatedAt', '>', 'createdAt')`, or across tables in a
   * subquery: `Post.query().whereColumn('posts.author_id', 'users.id')`.
   */
  whereColumn(first: C, second: C): this
  whereColumn(first: C, operator: Operator, second: C): this
  whereColumn(first: C, ...rest: string[]): this {
    return this.columns('where', first, rest)
  }

  orWhereColumn(first: C, second: C): this
  orWhereColumn(first: C, operator: Operator, second: C): this
  orWhereColumn(first: C, ...rest: string[]): this {
    return this.columns('orWhere', first, rest)
  }

  private columns(method: string, first: string, rest: string[]): this {
    const operator = rest.length === 2 ? checkOperator(rest[0]) : '='
    const left = this.column(first)
    const right = this.column(rest[rest.length - 1]!)
    return this.addWhere((b, knex) => invoke(b, method, left, operator, knex.ref(right)))
  }

  /** `whereExists(Post.query().whereColumn('posts.authorId', 'users.id'))`. */
  whereExists(query: Subquery): this {
    return this.addWhere((b, knex) => void b.whereExists(query.toKnexQuery(knex)))
  }

  orWhereExists(query: Subquery): this {
    return this.addWhere((b, knex) => void b.orWhereExists(query.toKnexQuery(knex)))
  }

  whereNotExists(query: Subquery): this {
    return this.addWhere((b, knex) => void b.whereNotExists(query.toKnexQuery(knex)))
  }

  orWhereNotExists(query: Subquery): this {
    return this.addWhere((b, knex) => void b.orWhereNotExists(query.toKnexQuery(knex)))
  }

  /**
   * The escape hatch: SQL with `?` placeholders (`??` for identifiers) and their bindings.
   * `whereRaw('lower(email) = ?', [email])`. Never splice values into `sql`.
   */
  whereRaw(sql: string, bindings: readonly Value[] = []): this {
    const list = [...bindings]
    return this.addWhere((b) => void b.whereRaw(sql, list as Knex.RawBinding[]))
  }

  orWhereRaw(sql: string, bindings: readonly Value[] = []): this {
    const list = [...bindings]
    return this.addWhere((b) => void b.orWhereRaw(sql, list as Knex.RawBinding[]))
  }
}
