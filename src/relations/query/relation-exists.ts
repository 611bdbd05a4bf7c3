import type { Knex } from 'knex'
import { QuarryError, RelationNotFoundError } from '../../errors/index.js'
import { type Model, modelMetadata } from '../../model/model.js'
import type { ModelMetadata } from '../../model/model-metadata.js'
import type { ModelTarget } from '../../model/model-target.js'
import type { Clause } from '../../query/where-builder.js'
import { checkOperator, invoke } from '../../query/where-builder.js'
import type { Constraint, SubquerySource } from '../relation.js'
import { checkPath, findRelation, relationNames, relationOf } from '../relation-lookup.js'
import type { TableScope } from './table-scope.js'

/** How `has`/`whereHas`/`doesntHave` ask: and/or, a count comparison, a constraint. */
export interface HasOptions {
  readonly bool: 'and' | 'or'
  readonly operator: string
  readonly count: number
  readonly constrain: Constraint
}

/** A query that can nest `has` (every model query): what a nested path's constraint calls. */
interface NestingQuery {
  $has(path: string, options: HasOptions): unknown
}

/**
 * `has(path, operator, count)` as a where clause on the query over `meta` (its table named
 * `parentRef`): an `exists` subquery for "at least one" and "none", a correlated `count(*)`
 * compared otherwise. A dotted path nests: `has('posts.comments', '>=', 3)` is "has a post that
 * has at least 3 comments". Checked now (unknown names throw before any SQL); the constraint runs
 * now, on the related query.
 */
export function hasClause(meta: ModelMetadata, parentRef: string, path: string, options: HasOptions, outer?: TableScope): Clause {
  const segments = checkPath(meta, path)
  const operator = checkOperator(options.operator)
  if (!Number.isInteger(options.count) || options.count < 0) {
    throw new QuarryError(`has('${path}', …): the count must be a whole number ≥ 0, got ${JSON.stringify(options.count)}`)
  }
  let { count, constrain } = options
  let compare = operator
  const relation = relationOf(meta, segments[0]!)
  // Past a morphTo, owner classes without the next relation match nothing; none having it is an error.
  let reached = 0
  if (segments.length > 1) {
    // As Eloquent: the comparison applies to the last relation; the ones before it must exist
    // (or, for "doesn't have", must not).
    const none = operator === '<' && count === 1
    const rest = segments.slice(1).join('.')
    const inner: HasOptions = { bool: 'and', operator: none ? '>=' : operator, count: none ? 1 : count, constrain }
    const polymorphic = relation.relatedClass() === undefined
    constrain = (query) => {
      const owner = (query.target as ModelTarget<Model>).meta
      if (polymorphic && !findRelation(owner, segments[1]!)) return query.whereRaw('1 = 0')
      reached++
      return (query as unknown as NestingQuery).$has(rest, inner)
    }
    compare = none ? '<' : '>='
    count = 1
  }
  const sources = relation.subqueries(new Set([parentRef]), constrain, outer)
  if (segments.length > 1 && !reached) {
    // Only reached past a morphTo (a direct relation's class was checked by checkPath).
    const owners = (relation as unknown as { candidates(): Array<typeof Model> }).candidates()
    const names = [...new Set(owners.flatMap((Class) => relationNames(modelMetadata(Class))))]
    throw new RelationNotFoundError(owners.map((Class) => Class.name).join(' or '), segments[1]!, names)
  }
  if (!sources.length) throw new QuarryError(`${relation.label}: there are no related types to query`)
  const form = existence(compare, count)
  return (builder, knex) => {
    const subqueries = sources.map((source) => correlated(source, knex, parentRef))
    if (form !== undefined) {
      const negate = form === 'none'
      if (subqueries.length === 1) {
        invoke(builder, `${options.bool === 'or' ? 'orWhere' : 'where'}${negate ? 'Not' : ''}Exists`, subqueries[0])
        return
      }
      invoke(builder, `${options.bool === 'or' ? 'orWhere' : 'where'}${negate ? 'Not' : ''}`, (group: Knex.QueryBuilder) => {
        for (const subquery of subqueries) group.orWhereExists(subquery)
      })
      return
    }
    for (const subquery of subqueries) subquery.select(knex.raw('count(*)'))
    const sql = `${subqueries.map(() => '?').join(' + ')} ${compare} ?`
    invoke(builder, options.bool === 'or' ? 'orWhereRaw' : 'whereRaw', sql, [...subqueries, count])
  }
}

/** `exists` for "at least one", `none` for "not any", `undefined` when a count must be compared. */
function existence(operator: string, count: number): 'some' | 'none' | undefined {
  if ((operator === '>=' && count === 1) || (operator === '>' && count === 0)) return 'some'
  if ((operator === '<' && count === 1) || ((operator === '=' || operator === '<=') && count === 0)) return 'none'
  return undefined
}

/** A source built and tied to the parent row. */
export function correlated(source: SubquerySource, knex: Knex, parentRef: string): Knex.QueryBuilder {
  const builder = source.build(knex)
  source.correlate(builder, knex, parentRef)
  return builder
}
