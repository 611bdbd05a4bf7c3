import { QuarryError } from '../errors/index.js'

/** What `t.check()` takes after its predicate: positional values, or names. */
export type CheckBindings = readonly unknown[] | Readonly<Record<string, unknown>>

/** `?` and `??` placeholders in `sql`, escaped ones (`\?`) left out. */
function placeholders(sql: string): number {
  return sql.replace(/\\\?/g, '').match(/\?\??/g)?.length ?? 0
}

/**
 * The bindings of a check predicate as knex takes them. An array fills the `?`/`??` placeholders
 * in order; an object fills them in its own order when the predicate has placeholders
 * (`t.check('?? >= 0', { price: 'price' })`), else is knex's named form (`':price: >= 0'`).
 * A count that does not match is a `QuarryError` naming both, before any SQL.
 */
export function checkBindings(predicate: string, bindings: CheckBindings | undefined): unknown[] | Record<string, unknown> | undefined {
  if (typeof predicate !== 'string' || !predicate.trim()) throw new QuarryError('t.check() needs a predicate, such as t.check(\'?? >= 0\', [\'price\'])')
  if (bindings === undefined) return undefined
  const wanted = placeholders(predicate)
  const describe = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const fit = (given: unknown[]) => {
    if (given.length !== wanted) {
      throw new QuarryError(`t.check('${predicate}', …) has ${describe(wanted, 'placeholder')} but ${describe(given.length, 'binding')}; give one value (a column name for ??) per placeholder`)
    }
    return given
  }
  if (Array.isArray(bindings)) return fit([...bindings])
  if (bindings === null || typeof bindings !== 'object') {
    throw new QuarryError(`t.check('${predicate}', …): bindings must be an array or an object, got ${JSON.stringify(bindings)}`)
  }
  if (wanted > 0) return fit(Object.values(bindings))
  return { ...bindings }
}
