import type { Row } from '../query/query-target.js'
import { retrieved } from './lifecycle.js'
import type { Model } from './model.js'
import type { ModelMetadata } from './model-metadata.js'

let pendingRow: Row | undefined

/** The row the model being constructed is hydrated from (read once by the Model constructor). */
export function takePendingRow(): Row | undefined {
  const row = pendingRow
  pendingRow = undefined
  return row
}

/**
 * Rows to models, on the hot path: the driver's row object becomes `$attributes` as it is (only
 * the columns with a cast are converted, in place, from a list computed once per model), and
 * `$original` is the same object until the first write. No per-row closures, no key scans —
 * unless the select list was customised (`extras`), when columns that are not the model's move to
 * `$extras`.
 */
export function hydrate<M extends Model>(meta: ModelMetadata, rows: Row[], extras: boolean): M[] | Promise<M[]> {
  const Ctor = meta.ctor as unknown as new () => M
  const casts = meta.readCasts
  const castCount = casts.length
  const byContent = meta.byContent.length > 0
  const models = new Array<M>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    for (let j = 0; j < castCount; j++) {
      const cast = casts[j]!
      const value = row[cast.column]
      if (value !== null && value !== undefined) row[cast.column] = cast.get(value)
    }
    pendingRow = row
    const model = new Ctor()
    if (extras) moveExtras(model, meta)
    if (byContent) snapshotContent(model, meta)
    models[i] = model
  }
  const pending = retrieved(meta.ctor as unknown as abstract new () => Model, models)
  return pending ? pending.then(() => models) : models
}

function moveExtras(model: Model, meta: ModelMetadata): void {
  const row = model.$attributes
  for (const key of Object.keys(row)) {
    if (!meta.byColumn.has(key)) {
      model.$extras[key] = row[key]
      delete row[key]
    }
  }
}

/** JSON values are objects the app may change in place: remember their text to compare later. */
export function snapshotContent(model: Model, meta: ModelMetadata): void {
  const snapshots: Record<string, string | undefined> = {}
  for (const column of meta.byContent) {
    const value = model.$attributes[column.column]
    snapshots[column.column] = value === undefined ? undefined : JSON.stringify(value)
  }
  model.$snapshots = snapshots
}
