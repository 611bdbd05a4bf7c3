import { QuarryError } from '../errors/index.js'

/** `asc`/`desc` in any case, lowercased; anything else is a `QuarryError` before any SQL. */
export function checkDirection(direction: unknown): 'asc' | 'desc' {
  if (typeof direction === 'string') {
    const lower = direction.toLowerCase()
    if (lower === 'asc' || lower === 'desc') return lower
  }
  throw new QuarryError(`Invalid sort direction ${JSON.stringify(direction)}; use 'asc' or 'desc'`)
}

/**
 * A non-negative integer (a limit, an offset), or a `QuarryError` naming what was wrong. Beyond
 * 2^53 a number is no longer exact, so it is refused too.
 */
export function checkCount(what: string, value: unknown, minimum = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new QuarryError(`${what} must be an integer of at least ${minimum}, got ${JSON.stringify(value)}`)
  }
  return value
}
