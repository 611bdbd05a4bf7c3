// Generators of hostile values for the property-based input tests, and what each dialect is
// allowed to do with them.
import fc from 'fast-check'

/** Pieces that break naive quoting, comments, statement separators, placeholders and encodings. */
export const FRAGMENTS = [
  "'", '"', '`', '\\', "\\'", '--', '#', '/*', '*/', ';', '%', '_', '?', '??', '$1', ':name', '@x',
  "' OR '1'='1", "'; DROP TABLE rel_specimens; --", '" OR ""="', "\\'; select 1; --", ') or (1=1',
  '\u0000', '\n', '\r', '\t', '\b', '\u001a', '\u2028', '\u2029', '\ufeff', '\ufffd',
  '\ud800', '\udfff', '\ud83d', '😀', 'é', 'ß', 'İ', '中文', 'NULL', 'null', 'undefined', ' ', '  ', 'x',
] as const

const fragmentString = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''))

/** 1,000 to 100,000 characters of a hostile pattern. */
const longString = fc
  .tuple(fragmentString, fc.integer({ min: 1_000, max: 100_000 }))
  .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length))

/**
 * Strings: SQL fragments glued together, arbitrary UTF-16 code units (lone surrogates included),
 * arbitrary well-formed Unicode, and now and then a very long one.
 */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fragmentString },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: longString },
)

/** Integers at the edges of 32-bit, 53-bit (JavaScript's safe range) and everything between. */
export const hostileInteger: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1)),
  fc.maxSafeInteger(),
  fc.integer(),
)

/** Doubles: the edges, subnormals, -0, NaN and the infinities. */
export const hostileDouble: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON, 0.1, 1 / 3, -0, NaN, Infinity, -Infinity),
  fc.double(),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
)

/** Nested JSON (objects, arrays, hostile keys and strings, finite numbers), up to six levels. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    hostileInteger,
    fc.oneof(fragmentString, fc.string({ unit: 'binary', maxLength: 20 })),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fragmentString, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value

/** Directions for orderBy: the real ones in odd cases, near misses, and anything at all. */
export const hostileDirection: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('asc', 'desc', 'ASC', 'DESC', 'Asc', 'dEsC', 'asc ', ' desc', 'asc;', 'asc, id', 'desc nulls first', 'ASC--', 'asc /*', 'ascending', ''),
  hostileString,
  fc.constantFrom(null, undefined, 1, true, {}, ['asc']),
)

export const hasLoneSurrogate = (s: string): boolean => !(s as unknown as { isWellFormed(): boolean }).isWellFormed()
export const hasNul = (s: string): boolean => s.includes('\u0000')

/** Every string inside a JSON value (keys included). */
export function jsonStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const item of value) jsonStrings(item, out)
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key)
      jsonStrings(item, out)
    }
  }
  return out
}

/** JSON text with object keys sorted: equal for values equal as JSON, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

/** Equal as stored numbers: NaN equals NaN; -0 equals 0 (documented: not every database keeps the sign of zero). */
export const sameNumber = (a: unknown, b: unknown): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b))

/** `count` values of `arbitrary`, reproducible from `seed`. */
export function sample<T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number): T[] {
  return fc.sample(arbitrary, { numRuns: count, seed })
}
