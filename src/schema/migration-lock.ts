import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Connection } from '../connection/connection.js'
import { MigrationError, UniqueViolationError } from '../errors/index.js'
import { SchemaBuilder } from './schema-builder.js'

export interface LockOptions {
  /** How long to wait for another run to finish before failing. */
  timeoutMs: number
  /** Called once when the lock is found held and the wait begins. */
  onWait?: (holder: string) => void
}

type Held = { release(): Promise<void> }
const POLL_MS = 100

/**
 * Makes migration runs on one database take turns: a session-level advisory lock where the
 * dialect has one (released by the database when a crashed run's session ends), else a row in
 * `quarry_migrations_lock` (left behind by a crashed run; `forceRelease()` clears it).
 */
export class MigrationLock {
  private held: Held | undefined

  constructor(
    private readonly connection: Connection,
    readonly table = 'quarry_migrations_lock',
    readonly name = 'quarry_migrations',
  ) {}

  /** True where the database releases the lock itself when a session ends. */
  get advisory(): boolean {
    return this.connection.dialect.supports.advisoryLocks && this.connection.dialect.advisoryLock !== undefined
  }

  /** Waits for the lock; throws `MigrationError` (saying how to release a stale one) after `timeoutMs`. */
  async acquire(options: LockOptions): Promise<void> {
    if (this.held) throw new MigrationError('The migration lock is already held by this migrator')
    const deadline = Date.now() + options.timeoutMs
    let waiting = false
    for (;;) {
      const held = this.advisory ? await this.tryAdvisory() : await this.tryRow()
      if (held) {
        this.held = held
        return
      }
      const holder = await this.describeHolder()
      if (Date.now() >= deadline) throw this.timeoutError(holder, options.timeoutMs)
      if (!waiting) options.onWait?.(holder)
      waiting = true
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
  }

  async release(): Promise<void> {
    const held = this.held
    this.held = undefined
    await held?.release()
  }

  /**
   * Clears a lock row left by a crashed run (`quarry migrate:unlock`). Resolves to whether there
   * was one. Advisory locks need no clearing: they end with their session.
   */
  async forceRelease(): Promise<boolean> {
    if (this.advisory) return false
    if (!(await new SchemaBuilder(this.connection).hasTable(this.table))) return false
    const deleted = await this.connection.knex(this.table).where('name', this.name).delete()
    return Number(deleted) > 0
  }

  private async tryAdvisory(): Promise<Held | undefined> {
    const knex = this.connection.knex
    const sql = this.connection.dialect.advisoryLock!(this.name)
    const session: unknown = await knex.client.acquireConnection()
    let taken = false
    try {
      const rows: Array<{ locked: unknown }> = await knex
        .select(knex.raw(`${sql.tryAcquire} as locked`, sql.bindings))
        .connection(session)
      taken = isTruthy(rows[0]?.locked)
    } finally {
      if (!taken) await knex.client.releaseConnection(session)
    }
    if (!taken) return undefined
    return {
      release: async () => {
        try {
          await knex.select(knex.raw(`${sql.release} as released`, sql.bindings)).connection(session)
        } finally {
          await knex.client.releaseConnection(session)
        }
      },
    }
  }

  private async tryRow(): Promise<Held | undefined> {
    await this.ensureTable()
    // Look before writing: an embedded database's writer waits for the lock synchronously, which
    // would stall a holder running in the same process.
    if (await this.connection.knex(this.table).where('name', this.name).first('name')) return undefined
    const owner = `${hostname()} pid ${process.pid} (${randomBytes(3).toString('hex')})`
    try {
      await this.connection.knex(this.table).insert({ name: this.name, owner, locked_at: new Date() })
    } catch (error) {
      if (error instanceof UniqueViolationError) return undefined
      throw error
    }
    return {
      release: async () => {
        await this.connection.knex(this.table).where({ name: this.name, owner }).delete()
      },
    }
  }

  private async ensureTable(): Promise<void> {
    const schema = new SchemaBuilder(this.connection)
    if (await schema.hasTable(this.table)) return
    try {
      await schema.createTable(this.table, (t) => {
        t.string('name').primary()
        t.string('owner').notNullable()
        t.dateTime('locked_at').notNullable()
      })
    } catch (error) {
      if (!(await schema.hasTable(this.table))) throw error
    }
  }

  private async describeHolder(): Promise<string> {
    if (this.advisory) return 'another session'
    const row = await this.connection.knex(this.table).where('name', this.name).first('owner', 'locked_at')
    if (!row) return 'another run'
    const since = this.connection.dialect.dates.read(row.locked_at, 'auto')
    return `${String(row.owner)} since ${since ? since.toISOString() : String(row.locked_at)}`
  }

  private timeoutError(holder: string, timeoutMs: number): MigrationError {
    const waited = `waited ${(timeoutMs / 1000).toFixed(1)} s`
    if (this.advisory) {
      return new MigrationError(
        `Another migration run on "${this.connection.name}" holds the migration lock (${waited}). ` +
          'It is an advisory lock: the database releases it when that run finishes or its session ends, ' +
          'so wait for the run or end its session (quarry migrate:unlock has nothing to clear).',
      )
    }
    return new MigrationError(
      `The migration lock on "${this.connection.name}" is held by ${holder} (${waited}). ` +
        'If no migration is running (a crashed run leaves its lock behind), release it with: npx quarry migrate:unlock',
    )
  }
}

function isTruthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't'
}
