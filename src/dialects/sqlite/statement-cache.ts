/**
 * A bounded least-recently-used map from SQL text to a prepared statement. A Map keeps insertion
 * order, so re-inserting on a hit keeps the most recent last and the first key is the oldest.
 */
export class StatementCache<S> {
  private readonly entries = new Map<string, S>()

  constructor(private readonly capacity: number) {}

  get(sql: string): S | undefined {
    const statement = this.entries.get(sql)
    if (statement !== undefined) {
      this.entries.delete(sql)
      this.entries.set(sql, statement)
    }
    return statement
  }

  /** Stores `statement` and returns it, dropping the least recently used past capacity. */
  set(sql: string, statement: S): S {
    this.entries.set(sql, statement)
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!)
    return statement
  }

  clear(): void {
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }
}
