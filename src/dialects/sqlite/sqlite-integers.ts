const MAX = BigInt(Number.MAX_SAFE_INTEGER)
const MIN = -MAX

/**
 * SQLite integers are 64-bit. Read as bigint by the drivers, they become numbers where a number
 * holds them exactly and strings beyond 2^53, the rule pg and mysql2 follow, so no dialect rounds
 * a large integer silently.
 */
export function fromSqliteInteger(value: bigint): number | string {
  return value <= MAX && value >= MIN ? Number(value) : value.toString()
}

/** Converts every bigint value of `rows` in place. */
export function normalizeIntegerRows(rows: Array<Record<string, unknown>>): void {
  for (const row of rows) {
    for (const key in row) {
      const value = row[key]
      if (typeof value === 'bigint') row[key] = fromSqliteInteger(value)
    }
  }
}

/**
 * Whether any value of `rows` is a number beyond 2^53: read as a double, such an integer may have
 * been rounded (a REAL that large answers yes as well, and costs only a second read).
 */
export function hasUnsafeNumber(rows: ReadonlyArray<Record<string, unknown>>): boolean {
  for (const row of rows) {
    for (const key in row) {
      const value = row[key]
      if (typeof value === 'number' && (value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER)) return true
    }
  }
  return false
}
