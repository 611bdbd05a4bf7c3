import type { Model } from '../model/model.js'

/**
 * A key value as a Map key. Numbers and strings stay as they are (the common case costs
 * nothing); big integers become numbers when safe, binary keys their hex text. `match` decides
 * once per relation whether the two sides need comparing as text (a varchar `commentable_id`
 * holding integer keys).
 */
export function mapKey(value: unknown): unknown {
  switch (typeof value) {
    case 'number':
    case 'string':
      return value
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : String(value)
    case 'object':
      if (value === null) return value
      if (value instanceof Uint8Array) return Buffer.from(value).toString('hex')
      if (value instanceof Date) return value.getTime()
      return String(value)
    default:
      return value
  }
}

/** `mapKey` as text: used when the two sides of a relation store a key with different types. */
export function textKey(value: unknown): unknown {
  const key = mapKey(value)
  return key === null || key === undefined ? key : String(key)
}

/** The distinct non-null values of `column` over `models`, in first-seen order. */
export function distinctValues(models: readonly Model[], column: string): unknown[] {
  const seen = new Set<unknown>()
  const values: unknown[] = []
  for (let i = 0; i < models.length; i++) {
    const value = models[i]!.$attributes[column]
    if (value === null || value === undefined) continue
    const size = seen.size
    seen.add(typeof value === 'number' || typeof value === 'string' ? value : mapKey(value))
    if (seen.size !== size) values.push(value)
  }
  return values
}

/**
 * Models grouped by the value of one of their columns (the hot path of matching: no closure,
 * numbers and strings used as they are). `text` compares keys as text (see `mapKey`).
 */
export function groupByColumn(models: readonly Model[], column: string, text: boolean): Map<unknown, Model[]> {
  const groups = new Map<unknown, Model[]>()
  for (let i = 0; i < models.length; i++) {
    const model = models[i]!
    const raw = model.$attributes[column]
    if (raw === null || raw === undefined) continue
    const key = text ? textKey(raw) : typeof raw === 'number' || typeof raw === 'string' ? raw : mapKey(raw)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [model])
    else group.push(model)
  }
  return groups
}

/** `mapKey` (or `textKey`), with numbers and strings passed straight through. */
export function lookupKey(raw: unknown, text: boolean): unknown {
  if (text) return textKey(raw)
  return typeof raw === 'number' || typeof raw === 'string' ? raw : mapKey(raw)
}

/** `values` in slices of at most `size` (the driver's parameter limit, less room for other bindings). */
export function chunked<T>(values: readonly T[], size: number): T[][] {
  if (values.length <= size) return [values as T[]]
  const out: T[][] = []
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size))
  return out
}

/** Bindings left for the keys of one eager query once its other conditions have theirs. */
export function keysPerQuery(maxBindings: number): number {
  return Math.max(1, maxBindings - 1000)
}

/**
 * Groups `items` by a key read with `keyOf`, linear in the items. `text` compares keys as text
 * (see `mapKey`).
 */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => unknown, text: boolean): Map<unknown, T[]> {
  const groups = new Map<unknown, T[]>()
  const normalise = text ? textKey : mapKey
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!
    const key = normalise(keyOf(item))
    if (key === null || key === undefined) continue
    const group = groups.get(key)
    if (group) group.push(item)
    else groups.set(key, [item])
  }
  return groups
}

/** Whether keys read from the parents and from the results need comparing as text. */
export function needsText(parentKey: unknown, resultKey: unknown): boolean {
  if (parentKey === undefined || resultKey === undefined) return false
  return typeof mapKey(parentKey) !== typeof mapKey(resultKey)
}

/** The first defined value `read` gives over `items` (a sample of a key's type). */
export function sample<T>(items: readonly T[], read: (item: T) => unknown): unknown {
  for (let i = 0; i < items.length; i++) {
    const value = read(items[i]!)
    if (value !== null && value !== undefined) return value
  }
  return undefined
}
