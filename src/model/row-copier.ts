import type { Row } from '../query/query-target.js'

const copiers = new Map<string, (row: Row) => Row>()

/**
 * A function copying `keys` of a row into a new object. Generated once per list of columns, as
 * an object literal, so that every copy shares one hidden class and is built without a keyed
 * store per column (a loop over the keys cost 250 ns a row; the literal a few tens). The keys are
 * column names from the database, quoted with JSON.stringify; `__proto__` is written as a computed
 * key so it stays an ordinary property. Where code generation is disabled, the loop is used.
 */
export function rowCopier(keys: readonly string[]): (row: Row) => Row {
  const id = keys.join('\u0000')
  let copier = copiers.get(id)
  if (copier) return copier
  try {
    const fields = keys.map((key) => {
      const quoted = JSON.stringify(key)
      return key === '__proto__' ? `[${quoted}]: r[${quoted}]` : `${quoted}: r[${quoted}]`
    })
    copier = new Function('r', `return { ${fields.join(', ')} }`) as (row: Row) => Row
  } catch {
    copier = (row) => {
      const copy: Row = {}
      for (const key of keys) {
        if (key === '__proto__') Object.defineProperty(copy, key, { value: row[key], enumerable: true, writable: true, configurable: true })
        else copy[key] = row[key]
      }
      return copy
    }
  }
  if (copiers.size < 1000) copiers.set(id, copier)
  return copier
}
