import { performance } from 'node:perf_hooks'
import type { Connection } from '../connection/connection.js'
import type { Database } from '../connection/database.js'
import { MigrationError } from '../errors/index.js'
import { dropAllTables } from './drop-all-tables.js'
import type { MigrationClass } from './migration.js'
import { MigrationLock } from './migration-lock.js'
import { type AppliedMigration, MigrationRepository } from './migration-repository.js'
import { type Direction, MigrationRunner, type RanMigration } from './migration-runner.js'
import { BundledMigrationSource, DirectoryMigrationSource, type MigrationEntry, type MigrationSource } from './migration-source.js'
import type { Statement } from './schema-builder.js'

export interface MigratorOptions {
  /** A directory of migration files named `YYYY_MM_DD_HHMMSS_name.ts` (or `.js`, `.mjs`). */
  directory?: string
  /** Or migration classes shipped in the app, by name; they run in name order. */
  bundled?: Readonly<Record<string, MigrationClass>>
  /** The connection to migrate (default: the database's default connection). */
  connection?: string
  /** Print nothing, change nothing: every method reports the SQL it would send. */
  dryRun?: boolean
  /** How long to wait for another run's lock (default 60 s). */
  lockTimeoutMs?: number
  /** Told of each step as it happens (the CLI prints them). */
  onProgress?: (event: MigrationProgress) => void
}

export type MigrationProgress =
  | { type: 'waiting'; holder: string }
  | { type: 'start'; name: string; direction: Direction }
  | { type: 'done'; migration: RanMigration }
  | { type: 'dropped'; tables: string[]; statements: Statement[] }

/** What a Migrator method did. */
export interface MigrationRun {
  dryRun: boolean
  /** The batch `latest()` applied (null when nothing was pending, and for rollbacks). */
  batch: number | null
  /** Every migration run, in order: rollbacks (`direction: 'down'`) first for refresh. */
  migrations: RanMigration[]
  /** The tables `fresh()` dropped (or would drop). */
  dropped: string[]
  /** In a dry run, `fresh()`'s drop statements. */
  statements: Statement[]
  durationMs: number
}

/** One row of `status()`: pending migrations have `batch` and `ranAt` null. */
export interface MigrationStatus {
  name: string
  batch: number | null
  ranAt: Date | null
  /** Recorded as run, but its file is gone. */
  missing?: true
}

/**
 * Applies and rolls back migrations, recording them in `quarry_migrations`, one run at a time per
 * database (a lock makes concurrent runs take turns).
 *
 * ```ts
 * const migrator = new Migrator(db, { directory: 'database/migrations' })
 * await migrator.latest()               // → { batch: 3, migrations: [{ name, durationMs, … }], … }
 * await migrator.rollback({ step: 2 })  // the last two migrations
 * await migrator.status()               // → [{ name, batch, ranAt }], pending ones with nulls
 * ```
 */
export class Migrator {
  readonly connection: Connection
  private readonly source: MigrationSource
  private readonly repository: MigrationRepository
  private readonly lock: MigrationLock
  private readonly runner: MigrationRunner
  /** Per dry run: the schema statements its migrations would have sent so far. */
  private readonly planned = new WeakMap<MigrationRun, Statement[]>()

  constructor(
    readonly db: Database,
    private readonly options: MigratorOptions,
  ) {
    if ((options.directory === undefined) === (options.bundled === undefined)) {
      throw new MigrationError('new Migrator(db, options) needs exactly one of { directory } or { bundled }')
    }
    this.connection = db.connection(options.connection)
    this.source = options.directory !== undefined
      ? new DirectoryMigrationSource(options.directory)
      : new BundledMigrationSource(options.bundled!)
    this.repository = new MigrationRepository(this.connection)
    this.lock = new MigrationLock(this.connection)
    this.runner = new MigrationRunner(db, this.connection, this.repository)
  }

  /** Applies every pending migration, in name order, as one new batch (with `step`, each its own batch). */
  latest(options: { dryRun?: boolean; step?: boolean } = {}): Promise<MigrationRun> {
    return this.session(options, (run) => this.migrateUp(run, undefined, options.step ?? false))
  }

  /** Rolls back the last batch, or with `step` the last `step` migrations, newest first. */
  async rollback(options: { step?: number; dryRun?: boolean } = {}): Promise<MigrationRun> {
    const step = options.step
    if (step !== undefined && (!Number.isInteger(step) || step < 1)) {
      throw new MigrationError(`rollback step must be a whole number of at least 1, got ${String(step)}`)
    }
    return this.session(options, async (run) => {
      const applied = await this.repository.applied()
      const last = Math.max(0, ...applied.map((m) => m.batch))
      const chosen = step === undefined ? applied.filter((m) => m.batch === last) : applied.slice(-step)
      await this.migrateDown(run, chosen)
    })
  }

  /** Rolls back every migration, newest first. */
  reset(options: { dryRun?: boolean } = {}): Promise<MigrationRun> {
    return this.session(options, async (run) => this.migrateDown(run, await this.repository.applied()))
  }

  /** Rolls back every migration, then applies them all again. */
  refresh(options: { dryRun?: boolean } = {}): Promise<MigrationRun> {
    return this.session(options, async (run) => {
      await this.migrateDown(run, await this.repository.applied())
      await this.migrateUp(run, run.dryRun ? new Set() : undefined)
    })
  }

  /** Drops every table (no `down()` runs), then applies every migration. */
  fresh(options: { dryRun?: boolean } = {}): Promise<MigrationRun> {
    return this.session(options, async (run) => {
      run.dropped = await dropAllTables(this.connection, [this.lock.table], run.dryRun ? run.statements : undefined)
      this.options.onProgress?.({ type: 'dropped', tables: run.dropped, statements: run.statements })
      if (!run.dryRun) await this.repository.ensure()
      await this.migrateUp(run, run.dryRun ? new Set() : undefined)
    })
  }

  /** Every migration with its batch and time, pending ones with nulls, in name order. */
  async status(): Promise<MigrationStatus[]> {
    const [entries, applied] = await Promise.all([this.source.list(), this.repository.applied()])
    const ran = new Map(applied.map((m) => [m.name, m]))
    const rows: MigrationStatus[] = entries.map(({ name }) => {
      const m = ran.get(name)
      return { name, batch: m?.batch ?? null, ranAt: m?.migratedAt ?? null }
    })
    const known = new Set(entries.map((e) => e.name))
    for (const m of applied) {
      if (!known.has(m.name)) rows.push({ name: m.name, batch: m.batch, ranAt: m.migratedAt, missing: true })
    }
    return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** Clears a lock left by a crashed run; resolves to whether there was one to clear. */
  unlock(): Promise<boolean> {
    return this.lock.forceRelease()
  }

  /** Takes the lock (not in a dry run, which changes nothing), runs `body`, releases. */
  private async session(options: { dryRun?: boolean }, body: (run: MigrationRun) => Promise<void>): Promise<MigrationRun> {
    const dryRun = options.dryRun ?? this.options.dryRun ?? false
    const started = performance.now()
    const run: MigrationRun = { dryRun, batch: null, migrations: [], dropped: [], statements: [], durationMs: 0 }
    if (dryRun) {
      await body(run)
    } else {
      await this.lock.acquire({
        timeoutMs: this.options.lockTimeoutMs ?? 60_000,
        onWait: (holder) => this.options.onProgress?.({ type: 'waiting', holder }),
      })
      try {
        await this.repository.ensure()
        await body(run)
      } finally {
        await this.lock.release()
      }
    }
    run.durationMs = performance.now() - started
    return run
  }

  /** `assumeApplied`: in a dry run after a (pretend) reset or drop, what counts as already run. */
  private async migrateUp(run: MigrationRun, assumeApplied?: Set<string>, step = false): Promise<void> {
    const [entries, applied] = await Promise.all([this.source.list(), this.repository.applied()])
    const done = assumeApplied ?? new Set(applied.map((m) => m.name))
    const pending = entries.filter((e) => !done.has(e.name))
    if (!pending.length) return
    const batch = (assumeApplied ? 0 : Math.max(0, ...applied.map((m) => m.batch))) + 1
    run.batch = batch
    for (const [index, entry] of pending.entries()) await this.step(run, entry, 'up', step ? batch + index : batch)
  }

  private async migrateDown(run: MigrationRun, chosen: AppliedMigration[]): Promise<void> {
    const entries = new Map((await this.source.list()).map((e) => [e.name, e]))
    const ordered = [...chosen].sort((a, b) => b.id - a.id)
    const missing = ordered.filter((m) => !entries.has(m.name)).map((m) => m.name)
    if (missing.length) {
      throw new MigrationError(
        `Cannot roll back ${missing.join(', ')}: recorded as run, but no such migration is in ${this.describeSource()}`,
        { migration: missing[0]! },
      )
    }
    for (const m of ordered) await this.step(run, entries.get(m.name)!, 'down', m.batch)
  }

  private async step(run: MigrationRun, entry: MigrationEntry, direction: Direction, batch: number): Promise<void> {
    this.options.onProgress?.({ type: 'start', name: entry.name, direction })
    let earlier = run.dryRun ? this.planned.get(run) : undefined
    if (run.dryRun && !earlier) this.planned.set(run, (earlier = []))
    const ran = await this.runner.run(entry, direction, batch, run.dryRun, earlier)
    run.migrations.push(ran)
    this.options.onProgress?.({ type: 'done', migration: ran })
  }

  private describeSource(): string {
    return this.source instanceof DirectoryMigrationSource ? this.source.directory : 'the bundled migrations'
  }
}
