/** What `readRows` needs of a better-sqlite3 statement. */
export interface RowStatement {
  raw(toggle: boolean): unknown
  columns(): Array<{ readonly name: string }>
  all(bindings: unknown[]): Array<Record<string, unknown>>
}

type Row = Record<string, unknown>

/** Results of at least this many rows are read as arrays (the next time the statement runs). */
export const ARRAYS_FROM = 64

const MANY = Symbol('quarry.manyRows')

/**
 * The rows of a read-only statement. better-sqlite3 makes each row object a property at a time
 * through V8's API, about 0.35 µs a row more than reading the row as an array and making the
 * object in JavaScript with a literal of the result's columns. Asking a statement for its
 * columns costs about 10 µs, so only a statement whose last result had `ARRAYS_FROM` rows or more
 * reads arrays; a find by key never pays for it. The columns are asked after every array read,
 * never kept: another connection's schema change re-prepares a statement, and `select *` may then
 * have other columns.
 */
export function readRows(statement: RowStatement, bindings: unknown[]): Row[] {
  const flagged = statement as RowStatement & { [MANY]?: boolean }
  if (flagged[MANY] !== true) {
    const rows = statement.all(bindings)
    if (rows.length >= ARRAYS_FROM) flagged[MANY] = true
    return rows
  }
  statement.raw(true)
  let arrays: unknown[][]
  try {
    arrays = statement.all(bindings) as unknown as unknown[][]
  } finally {
    statement.raw(false)
  }
  if (arrays.length < ARRAYS_FROM) flagged[MANY] = false
  if (!arrays.length) return []
  // Made as better-sqlite3 makes the rows of a smaller result.
  const build = rowBuilder(statement.columns().map((c) => c.name), 'prototype')
  const rows = new Array<Row>(arrays.length)
  for (let i = 0; i < arrays.length; i++) rows[i] = build(arrays[i]!, asIs)
  return rows
}

type RowBuilder = (values: ArrayLike<unknown>, convert: (value: unknown) => unknown) => Row

const builders = new Map<string, RowBuilder>()

/** What a column named `__proto__` becomes in a row object. */
export type ProtoColumn =
  /** As better-sqlite3 sets it: the prototype when the value is an object (a blob), else nothing. */
  | 'prototype'
  /** An ordinary own property. */
  | 'property'

/** The converter of values read as they are. */
export const asIs = (value: unknown): unknown => value

/**
 * A function making a row object from the values of `names`, each through `convert`: the later
 * of two columns with one name wins, as in better-sqlite3, and a `__proto__` column is what
 * `proto` says. Generated once per list of names as an object literal, so every row shares one
 * hidden class and no property is added one at a time; where code generation is disabled, a loop.
 */
export function rowBuilder(names: readonly string[], proto: ProtoColumn): RowBuilder {
  const id = `${proto}\u0000${names.join('\u0000')}`
  let build: RowBuilder | undefined = builders.get(id)
  if (!build) {
    try {
      const fields = names.map((name, i) => {
        const quoted = JSON.stringify(name)
        return `${name === '__proto__' && proto === 'property' ? `[${quoted}]` : quoted}: c(v[${i}])`
      })
      build = new Function('v', 'c', `return { ${fields.join(', ')} }`) as RowBuilder
    } catch {
      build = (values, convert) => {
        const row: Row = {}
        names.forEach((name, i) => {
          const value = convert(values[i])
          if (name !== '__proto__' || proto === 'property') Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true })
          else if (typeof value === 'object') Object.setPrototypeOf(row, value)
        })
        return row
      }
    }
    if (builders.size < 1000) builders.set(id, build)
  }
  return build
}
