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
