import { UnknownColumnError } from '../errors/index.js'
import { defineAccessors } from './accessors.js'
import { type ModelMetadata, metadataForTable } from './model-metadata.js'

/**
 * The SQL column a name refers to in a query over `meta`'s model: a property (`emailAddress`)
 * or a column (`email_address`) of the model, `*`, or `table.column`. A qualified name on the
 * model's own table, or on the table of another model in use, is checked against that model's
 * columns (and its property mapped); a table no model knows (a join, an alias) is passed to knex,
 * which quotes it as an identifier, when both parts are plain identifiers (`schema.table.column`
 * too). Anything else throws `UnknownColumnError` with suggestions.
 */
const PLAIN_QUALIFIED = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?\.([A-Za-z_][A-Za-z0-9_$]*|\*)$/

export function resolveColumn(meta: ModelMetadata, name: string): string {
  const known = meta.lookup.get(name)
  if (known) return known.column
  if (typeof name !== 'string') throw new UnknownColumnError(meta.name, String(name))
  if (name === '*') return name
  const dot = name.lastIndexOf('.')
  if (dot > 0 && dot < name.length - 1) {
    const table = name.slice(0, dot)
    const part = name.slice(dot + 1)
    const other = table === meta.table ? meta : metadataForTable(table)
    // A table no model knows (a join, an alias) is passed on as an identifier, but only a plain
    // one: a name built to escape identifier quoting never reaches SQL.
    if (!other) {
      if (PLAIN_QUALIFIED.test(name)) return name
      throw new UnknownColumnError(meta.name, name)
    }
    // A model declared but not used yet is settled now: its class is fully defined by now.
    const owner = other.finalize(defineAccessors)
    if (part === '*') return name
    const column = owner.lookup.get(part)
    if (column) return `${table}.${column.column}`
    throw new UnknownColumnError(owner.name, name, suggestions(owner, part).map((s) => `${table}.${s}`))
  }
  throw new UnknownColumnError(meta.name, name, suggestions(meta, name))
}

/** The error for `name`, unknown to `meta`'s model, given to the write `context` names. */
export function unknownColumn(meta: ModelMetadata, name: unknown, context: string): UnknownColumnError {
  const text = typeof name === 'string' ? name : String(name)
  return new UnknownColumnError(meta.name, text, typeof name === 'string' ? suggestions(meta, name) : [], context)
}

/** Up to three names of `meta` close to `name` (edit distance, or equal ignoring case and `_`). */
export function suggestions(meta: ModelMetadata, name: string): string[] {
  const wanted = normalise(name)
  const scored: Array<[string, number]> = []
  for (const column of meta.columns) {
    const distance = Math.min(editDistance(name, column.property), editDistance(name, column.column))
    const close = normalise(column.property) === wanted || distance <= Math.max(2, Math.floor(name.length / 3))
    if (close) scored.push([column.property, normalise(column.property) === wanted ? 0 : distance])
  }
  return scored.sort((a, b) => a[1] - b[1]).slice(0, 3).map(([property]) => property)
}

function normalise(name: string): string {
  return name.replace(/_/g, '').toLowerCase()
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length)
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
    }
    previous = current
  }
  return previous[b.length]!
}
