import type { Knex } from 'knex'
import type { Model } from '../../model/model.js'
import type { ModelMetadata } from '../../model/model-metadata.js'
import type { Clause } from '../../query/where-builder.js'
import { eagerLoad } from '../eager/eager-loader.js'
import { type EagerRequest, eagerTree } from '../eager/eager-tree.js'
import { dropRowNumbers } from '../eager/per-parent.js'
import { type RelationAggregate, takeAggregates } from './relation-aggregates.js'
import type { TableScope } from './table-scope.js'

/**
 * What relations add to one model query: eager loads (`with`), aggregate selects (`withCount`
 * …), steps run on the hydrated models (pivot columns to `$pivot`), and the alias the query's
 * table goes by inside a correlated subquery of a self-relation. The model query holds one only
 * once a relation method is called, and copies it with the query.
 */
export class RelationQueryState {
  /** The name the query's table goes by (`from users as quarry_r1`). */
  alias: string | undefined = undefined
  eager: EagerRequest[] | undefined = undefined
  aggregates: RelationAggregate[] | undefined = undefined
  afterLoad: Array<(models: Model[]) => void> | undefined = undefined
  /** The relation's own conditions (the parent's keys), ANDed after the query's own conditions, grouped. */
  pinned: Clause[] | undefined = undefined
  /**
   * An eager query's column naming each row's parent: a limit or an offset on the query then
   * applies to each parent (see `rankedPerParent`).
   */
  partition: string | undefined = undefined
  /** The tables the query may name (checked on a relation's query; see `TableScope`). Shared by copies. */
  scope: TableScope | undefined = undefined

  /** Pins a relation condition (see `pinned`). */
  pin(clause: Clause): this {
    if (this.pinned) this.pinned.push(clause)
    else this.pinned = [clause]
    return this
  }

  /** Runs `step` on the hydrated models before anything else (pivot columns to `$pivot`). */
  onLoad(step: (models: Model[]) => void): this {
    if (this.afterLoad) this.afterLoad.push(step)
    else this.afterLoad = [step]
    return this
  }

  copy(): RelationQueryState {
    const copy = new RelationQueryState()
    copy.alias = this.alias
    copy.eager = this.eager && [...this.eager]
    copy.aggregates = this.aggregates && [...this.aggregates]
    copy.afterLoad = this.afterLoad && [...this.afterLoad]
    copy.pinned = this.pinned && [...this.pinned]
    copy.partition = this.partition
    copy.scope = this.scope
    return copy
  }

  /** The table as the query's own clauses name it. */
  ref(meta: ModelMetadata): string {
    return this.alias ?? meta.table
  }

  /** Adds the alias and, when the select list is compiled, the aggregate selects (after `table.*` when nothing else is selected). */
  compile(builder: Knex.QueryBuilder, knex: Knex, meta: ModelMetadata, selecting: boolean, selectsNothing: boolean): void {
    if (this.alias !== undefined) builder.from({ [this.alias]: meta.table })
    const aggregates = this.aggregates
    if (!selecting || !aggregates) return
    if (selectsNothing) builder.select(`${this.ref(meta)}.*`)
    for (const aggregate of aggregates) builder.select(aggregate.select(knex))
  }

  /**
   * The hydrated models with their pivots, numeric aggregates and eager-loaded relations (read
   * from the primary too when this query was: `onWriter()`, locks).
   */
  finish<M extends Model>(loaded: M[] | Promise<M[]>, onWriter = false): M[] | Promise<M[]> {
    if (!Array.isArray(loaded)) return loaded.then((models) => this.finish(models, onWriter))
    const models = loaded
    if (this.partition !== undefined) dropRowNumbers(models)
    if (this.afterLoad) for (const step of this.afterLoad) step(models)
    if (this.aggregates) takeAggregates(models, this.aggregates)
    if (!this.eager || !models.length) return models
    return eagerLoad(models, eagerTree(this.eager), false, onWriter).then(() => models)
  }
}
