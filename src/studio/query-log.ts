import type { Database } from '../connection/database.js'

/** A statement the studio ran: its SQL (values left out: they may be secrets) and its duration. */
export interface LoggedStatement {
  id: number
  sql: string
  durationMs: number
  at: string
  error?: string
}

/** The last statements run on `db`, newest last, kept while the studio listens. */
export class QueryLog {
  private readonly entries: LoggedStatement[] = []
  private next = 1
  private readonly stop: () => void

  constructor(db: Database, private readonly keep = 200) {
    this.stop = db.on('query', (event) => {
      const entry: LoggedStatement = {
        id: this.next++,
        sql: event.sql,
        durationMs: Math.round(event.durationMs * 100) / 100,
        at: new Date().toISOString(),
      }
      if (event.error) entry.error = event.error.message
      this.entries.push(entry)
      if (this.entries.length > this.keep) this.entries.shift()
    })
  }

  /** The statements after `since` (an id), at most `keep`. */
  since(since = 0): LoggedStatement[] {
    return this.entries.filter((e) => e.id > since)
  }

  close(): void {
    this.stop()
  }
}
