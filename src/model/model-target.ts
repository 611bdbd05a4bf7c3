import type { Connection } from '../connection/connection.js'
import type { QueryTarget, Row } from '../query/query-target.js'
import { resolveColumn } from './column-resolver.js'
import { hydrate } from './hydrate.js'
import type { Model } from './model.js'
import { ModelAdapter } from './model-adapter.js'
import type { ModelMetadata } from './model-metadata.js'

const targets = new WeakMap<ModelMetadata, ModelTarget<Model>>()

/** What a model's queries run over: its table, connection, names and hydration. Built once per model. */
export class ModelTarget<M extends Model> implements QueryTarget<M> {
  readonly name: string
  readonly table: string
  readonly primaryKey: readonly string[]

  private constructor(readonly meta: ModelMetadata) {
    this.name = meta.name
    this.table = meta.table
    this.primaryKey = meta.primaryKey.map((c) => c.column)
  }

  static of<M extends Model>(meta: ModelMetadata): ModelTarget<M> {
    let target = targets.get(meta)
    if (!target) targets.set(meta, (target = new ModelTarget(meta)))
    return target as unknown as ModelTarget<M>
  }

  connection(): Connection {
    return ModelAdapter.connection(this.meta)
  }

  resolveColumn(name: string): string {
    return resolveColumn(this.meta, name)
  }

  hydrate(rows: Row[], extras: boolean): M[] | Promise<M[]> {
    return hydrate<M>(this.meta, rows, extras, this.connection().dialect.dates)
  }

  reader(column: string): ((value: unknown) => unknown) | undefined {
    const dot = column.lastIndexOf('.')
    if (dot >= 0 && column.slice(0, dot) !== this.table) return undefined
    const name = dot >= 0 ? column.slice(dot + 1) : column
    return this.meta.readCastsOn(this.connection().dialect.dates).find((cast) => cast.column === name)?.get
  }

  bindDate(column: string, date: Date): unknown {
    const dot = column.lastIndexOf('.')
    if (dot >= 0 && column.slice(0, dot) !== this.table) return date
    const bind = this.meta.byColumn.get(dot >= 0 ? column.slice(dot + 1) : column)?.effectiveCast?.bindDate
    return bind ? bind(date) : date
  }

  valueOf(item: M, column: string): unknown {
    const value = item.$attributes[column]
    if (value === null || value === undefined) return value
    const cast = this.meta.byColumn.get(column)?.effectiveCast
    return cast ? cast.set(value) : value
  }
}
