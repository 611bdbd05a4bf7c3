import { AsyncLocalStorage } from 'node:async_hooks'
import type { Database } from '../connection/database.js'
import type { QueryEvent } from '../connection/quarry-client.js'
import type { Statement } from './schema-builder.js'

/** What one migration sent: the statements that succeeded, and the one that failed. */
export interface StatementLog {
  readonly sent: Statement[]
  failed?: Statement & { error: Error }
}

const NOT_A_CHANGE = /^\s*(select|pragma|show|explain|describe|begin|commit|rollback|savepoint|release)\b/i

/**
 * Collects the statements a migration sends, whichever way it sends them (schema builder, raw
 * SQL, query builder, models): query events are matched to the migration by async context, so a
 * concurrent query elsewhere in the process is never mistaken for one of its own.
 */
export class StatementRecorder {
  private readonly storage = new AsyncLocalStorage<StatementLog>()

  constructor(
    private readonly db: Database,
    private readonly connection: string,
  ) {}

  /** Runs `fn`, logging into `log` every change it sends on the connection (reads are left out). */
  async record<T>(log: StatementLog, fn: () => Promise<T>): Promise<T> {
    const unsubscribe = this.db.on('query', (event) => this.onQuery(event))
    try {
      return await this.storage.run(log, fn)
    } finally {
      unsubscribe()
    }
  }

  private onQuery(event: QueryEvent): void {
    const log = this.storage.getStore()
    if (!log || event.connection !== this.connection || NOT_A_CHANGE.test(event.sql)) return
    const statement = { sql: event.sql, bindings: event.bindings }
    if (event.error) log.failed = { ...statement, error: event.error }
    else log.sent.push(statement)
  }
}
