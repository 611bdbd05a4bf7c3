import { createHash } from 'node:crypto'
import { InvalidCursorError, QuarryError } from '../errors/index.js'

/** What a cursor carries: which way it points and the sort values of the row it points from. */
export interface CursorPosition {
  direction: 'next' | 'prev'
  values: unknown[]
}

type Encoded = null | boolean | number | string | { d: string } | { b: string } | { x: string } | { n: string }

/** The longest cursor accepted (and made): long text sort values stay usable, a huge input costs nothing. */
export const MAX_CURSOR_LENGTH = 4 * 1024 * 1024

function encodeValue(value: unknown): Encoded {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return { d: value.toISOString() }
  if (typeof value === 'bigint') return { b: value.toString() }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { x: Buffer.from(value).toString('base64') }
  // JSON has no NaN or infinities: tagged, so a row sorted by them is not taken for NULL.
  if (typeof value === 'number' && !Number.isFinite(value)) return { n: String(value) }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value
  return String(value)
}

function decodeValue(value: unknown): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'object') {
    const tagged = value as Record<string, unknown>
    if (typeof tagged.d === 'string') {
      const date = new Date(tagged.d)
      if (!Number.isNaN(date.getTime())) return date
    }
    if (typeof tagged.b === 'string' && /^-?\d+$/.test(tagged.b)) return BigInt(tagged.b)
    if (typeof tagged.x === 'string') return Buffer.from(tagged.x, 'base64')
    if (tagged.n === 'NaN' || tagged.n === 'Infinity' || tagged.n === '-Infinity') return Number(tagged.n)
  }
  throw new InvalidCursorError('it holds a value of an unknown kind')
}

function checksum(body: string): string {
  return createHash('sha256').update('quarry-cursor:').update(body).digest('base64url').slice(0, 16)
}

/** A short digest of what a cursor belongs to: the table and the ordering. */
export function cursorSignature(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 12)
}

/**
 * An opaque cursor: base64url JSON with the query's signature, the direction and the sort
 * values, plus a checksum so an edited cursor is rejected rather than silently misread. (It is
 * integrity-checked, not secret-signed: the values in it are always bound, never spliced.)
 */
export function encodeCursor(signature: string, position: CursorPosition): string {
  const body = Buffer.from(
    JSON.stringify({ s: signature, d: position.direction === 'next' ? 'n' : 'p', v: position.values.map(encodeValue) }),
  ).toString('base64url')
  const cursor = `${body}.${checksum(body)}`
  if (cursor.length > MAX_CURSOR_LENGTH) {
    throw new QuarryError(`cursorPaginate(): the sort values of this row make a cursor over ${MAX_CURSOR_LENGTH} characters; order by shorter columns`)
  }
  return cursor
}

/** Decodes a cursor made by `encodeCursor` for the same signature, or throws `InvalidCursorError`. */
export function decodeCursor(cursor: unknown, signature: string, width: number): CursorPosition {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) {
    throw new InvalidCursorError('it is not a cursor string')
  }
  const [body, sum, extra] = cursor.split('.')
  if (!body || !sum || extra !== undefined || checksum(body) !== sum) {
    throw new InvalidCursorError('it does not decode (it was truncated or edited)')
  }
  let payload: { s?: unknown; d?: unknown; v?: unknown }
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidCursorError('it does not decode')
  }
  if (payload.s !== signature) {
    throw new InvalidCursorError('it belongs to another model or ordering')
  }
  if ((payload.d !== 'n' && payload.d !== 'p') || !Array.isArray(payload.v) || payload.v.length !== width) {
    throw new InvalidCursorError('it does not decode')
  }
  return { direction: payload.d === 'n' ? 'next' : 'prev', values: payload.v.map(decodeValue) }
}
