import { performance } from 'node:perf_hooks'
import type { Connection } from '../connection/connection.js'
import type { Database } from '../connection/database.js'
import { MigrationError, QueryError } from '../errors/index.js'
import { bindMigration } from './migration.js'
import type { MigrationEntry } from './migration-source.js'
import type { MigrationRepository } from './migration-repository.js'
import { SchemaBuilder, type Statement } from './schema-builder.js'
import { type StatementLog, StatementRecorder } from './statement-recorder.js'

export type Direction = 'up' | 'down'

/** One migration applied or rolled back (or, in a dry run, what it would have sent). */
export interface RanMigration {
  name: string
  direction: Direction
  /** The batch it was applied in (or, rolled back, the batch it had been in). */
  batch: number
  durationMs: number
  /** The changes it sent; in a dry run, the ones it would have sent. Reads are left out. */
  statements: Statement[]
}

/** Thrown inside a dry run's transaction so that it rolls back. */
class DryRunRollback extends Error {}

/**
 * Runs one migration's `up()` or `down()`: in a transaction where the dialect has transactional
 * DDL (the bookkeeping row joins it), recording every change it sends, and turning a failure into
 * a `MigrationError` that names the migration, the statement and the database's message.
 */
export class MigrationRunner {
  private readonly recorder: StatementRecorder

  constructor(
    private readonly db: Database,
    private readonly connection: Connection,
    private readonly repository: MigrationRepository,
  ) {
    this.recorder = new StatementRecorder(db, connection.name)
  }

  /**
   * `earlier`, in a dry run: the schema statements the run's earlier migrations would have sent;
   * this one's are added to it (SQLite's table rebuilds read a table those create).
   */
  async run(entry: MigrationEntry, direction: Direction, batch: number, dryRun: boolean, earlier?: Statement[]): Promise<RanMigration> {
    const Class = await entry.load()
    const migration = new Class()
    if (direction === 'down' && typeof migration.down !== 'function') {
      throw new MigrationError(`${entry.name} has no down() method, so it cannot be rolled back`, { migration: entry.name })
    }
    const log: StatementLog = { sent: [] }
    const planned: Statement[] = []
    bindMigration(migration, {
      db: this.db,
      connection: this.connection,
      schema: new SchemaBuilder(this.connection, dryRun ? planned : undefined, earlier),
      dryRun,
    })
    const body = async () => {
      await this.recorder.record(log, async () => {
        if (direction === 'up') await migration.up()
        else await migration.down!()
      })
      if (dryRun) throw new DryRunRollback()
      if (direction === 'up') await this.repository.log(entry.name, batch)
      else await this.repository.forget(entry.name)
    }
    // A dry run sends no DDL at all; its transaction only guards data changes, which every database rolls back.
    const transactional = dryRun || (this.connection.dialect.supports.transactionalDdl && migration.withinTransaction !== false)
    const started = performance.now()
    try {
      if (transactional) await this.connection.transaction(body)
      else await body()
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw this.failure(entry, direction, error, log, transactional)
    }
    if (dryRun && earlier) earlier.push(...planned)
    return {
      name: entry.name,
      direction,
      batch,
      durationMs: performance.now() - started,
      statements: dryRun ? [...planned, ...log.sent] : log.sent,
    }
  }

  private failure(entry: MigrationEntry, direction: Direction, error: unknown, log: StatementLog, rolledBack: boolean): MigrationError {
    if (error instanceof MigrationError && error.details.migration === entry.name) return error
    const failed = log.failed
    const message = databaseMessage(error, failed?.sql)
    const lines = [`Migration ${entry.name} failed${direction === 'down' ? ' to roll back' : ''}: ${message}`]
    const file = direction === 'down' ? (entry.downFile ?? entry.file) : entry.file
    if (file) lines.push(`  file: ${file}`)
    if (failed) lines.push(`  statement: ${failed.sql}`)
    const details: MigrationError['details'] = { migration: entry.name }
    if (failed) details.statement = failed.sql
    if (rolledBack) {
      lines.push('  Its transaction was rolled back: nothing of this migration was applied.')
    } else {
      details.executed = log.sent.map((s) => s.sql)
      if (log.sent.length) {
        lines.push('  This database cannot roll back schema changes; these statements had already run and remain applied:')
        for (const statement of log.sent) lines.push(`    ${statement.sql}`)
      } else {
        lines.push('  No statement of it had run before the failure.')
      }
    }
    return new MigrationError(lines.join('\n'), details, { cause: error })
  }
}

/** The database's own words: knex prefixes its message with the SQL, which is shown apart. */
function databaseMessage(error: unknown, sql: string | undefined): string {
  if (error instanceof QueryError) return error.detail
  const message = error instanceof Error ? error.message : String(error)
  if (sql && message.startsWith(`${sql} - `)) return message.slice(sql.length + 3)
  return message
}
