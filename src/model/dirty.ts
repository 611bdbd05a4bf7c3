import type { Row } from '../query/query-target.js'
import type { Model } from './model.js'
import type { ModelMetadata } from './model-metadata.js'

/**
 * The columns whose value differs from `$originalAttributes`: compared by identity, by time for dates,
 * by content for JSON (so in-place changes to an object count). Fast when nothing was assigned:
 * `$attributes` is then still `$originalAttributes`.
 */
export function dirtyColumns(model: Model, meta: ModelMetadata): string[] {
  const attributes = model.$attributes
  const original = model.$originalAttributes
  const dirty: string[] = []
  if (attributes !== original) {
    for (const key in attributes) {
      const value = attributes[key]
      const before = original[key]
      // NaN equals NaN here: an unchanged NaN is not a change.
      if (value === before || value === undefined || (Number.isNaN(value) && Number.isNaN(before))) continue
      const equals = meta.byColumn.get(key)?.effectiveCast?.equals
      if (!equals || !equals(value, before) || !(key in original)) dirty.push(key)
    }
  }
  const snapshots = model.$snapshots
  for (const column of meta.byContent) {
    const key = column.column
    if (dirty.includes(key)) continue
    const value = attributes[key]
    if (value === undefined) continue
    const text = JSON.stringify(value)
    const before = snapshots ? snapshots[key] : original[key] === undefined ? undefined : JSON.stringify(original[key])
    if (text !== before) dirty.push(key)
  }
  return dirty
}

/** `{ property: value }` for the given columns. */
export function byProperty(meta: ModelMetadata, row: Row, columns: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const column of columns) out[meta.byColumn.get(column)?.property ?? column] = row[column]
  return out
}

/** The column a property or column name refers to, or undefined. */
export function columnOf(meta: ModelMetadata, name: string): string | undefined {
  return meta.lookup.get(name)?.column
}

/** Every column present in `row`, keyed by its property (`$original`'s view of the stored row). */
export function storedByProperty(meta: ModelMetadata, row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const column of meta.columns) {
    if (column.column in row) out[column.property] = row[column.column]
  }
  return out
}
