import type { Connection } from '../connection/connection.js'
import { SchemaBuilder } from './schema-builder.js'

/** One row of the migrations table: a migration that ran. */
export interface AppliedMigration {
  id: number
  name: string
  batch: number
  migratedAt: Date
}

interface Row {
  id: number | string
  name: string
  batch: number | string
  migrated_at: Date | string | number
}

/**
 * The `quarry_migrations` table (`id`, `name`, `batch`, `migrated_at`): which migrations ran, in
 * which batch and when.
 */
export class MigrationRepository {
  constructor(
    private readonly connection: Connection,
    readonly table = 'quarry_migrations',
  ) {}

  async exists(): Promise<boolean> {
    return new SchemaBuilder(this.connection).hasTable(this.table)
  }

  /** Creates the table unless it exists (another process may create it at the same moment). */
  async ensure(): Promise<void> {
    if (await this.exists()) return
    try {
      await new SchemaBuilder(this.connection).createTable(this.table, (t) => {
        t.increments('id')
        t.string('name').notNullable().unique()
        t.integer('batch').notNullable()
        t.dateTime('migrated_at').notNullable()
      })
    } catch (error) {
      if (!(await this.exists())) throw error
    }
  }

  /** Every migration that ran, oldest first; none when the table does not exist yet. */
  async applied(): Promise<AppliedMigration[]> {
    if (!(await this.exists())) return []
    const rows = await this.connection.table<Row>(this.table).select('id', 'name', 'batch', 'migrated_at').orderBy('id')
    return rows.map((row) => ({
      id: Number(row.id),
      name: row.name,
      batch: Number(row.batch),
      migratedAt: this.connection.dialect.dates.read(row.migrated_at, 'auto') ?? new Date(Number.NaN),
    }))
  }

  /** Records a migration; inside its transaction when it has one. */
  async log(name: string, batch: number): Promise<void> {
    await this.connection.table(this.table).insert({ name, batch, migrated_at: new Date() })
  }

  async forget(name: string): Promise<void> {
    await this.connection.table(this.table).where('name', name).delete()
  }
}
