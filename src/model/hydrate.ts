import type { DateStorage } from '../dialects/date-storage.js'
import type { Row } from '../query/query-target.js'
import { retrieved } from './lifecycle.js'
import { rowCopier } from './row-copier.js'
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
 * the columns with a cast are converted, in place, as `dates` (the dialect's) reads them (by the casts' own `get` without it), from a list computed once per model), and
 * `$originalAttributes` is the same object until the first write. No per-row closures, no key scans —
 * unless the select list was customised (`extras`), when columns that are not the model's move to
 * `$extras`.
 */
export function hydrate<M extends Model>(meta: ModelMetadata, rows: Row[], extras: boolean, dates?: DateStorage): M[] | Promise<M[]> {
  const Ctor = meta.ctor as unknown as new () => M
  const casts = dates ? meta.readCastsOn(dates) : meta.readCasts
  const castCount = casts.length
  const byContent = meta.byContent.length > 0
  const models = new Array<M>(rows.length)
  // A customised select list: the columns that are not the model's go to `$extras`. The rows of
  // one statement share their columns, so the split is worked out once, from the first row.
  const split = extras && rows.length ? splitColumns(meta, rows[0]!) : undefined
  for (let i = 0; i < rows.length; i++) {
    let row = rows[i]!
    if (split) row = split.attributes(row)
    for (let j = 0; j < castCount; j++) {
      const cast = casts[j]!
      const value = row[cast.column]
      if (value !== null && value !== undefined) row[cast.column] = cast.get(value)
    }
    pendingRow = row
    const model = new Ctor()
    if (split) {
      const source = rows[i]!
      const store = model.$extras
      for (const key of split.extras) {
        if (key === '__proto__') Object.defineProperty(store, key, { value: source[key], enumerable: true, writable: true, configurable: true })
        else store[key] = source[key]
      }
    }
    if (byContent) snapshotContent(model, meta)
    models[i] = model
  }
  const pending = retrieved(meta.ctor as unknown as abstract new () => Model, models)
  return pending ? pending.then(() => models) : models
}

/**
 * How a row of a customised select splits: a copy holding the model's columns becomes
 * `$attributes`, and the rest are listed for `$extras`. Copied rather than deleted from the row: a
 * `delete` leaves the row a dictionary-mode object, slow to delete from and to read afterwards.
 */
function splitColumns(meta: ModelMetadata, first: Row): { attributes: (row: Row) => Row; extras: string[] } | undefined {
  const keys = Object.keys(first)
  const extras = keys.filter((key) => !meta.byColumn.has(key))
  if (!extras.length) return undefined
  return { attributes: rowCopier(keys.filter((key) => meta.byColumn.has(key))), extras }
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
