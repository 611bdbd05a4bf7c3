import type { Database } from '../connection/database.js'
import { QuarryError } from '../errors/index.js'

const DATABASE = Symbol.for('quarry.seeder.database')

/** A class whose instances are seeders. */
export type SeederClass = new () => Seeder

/**
 * Fills the database with data: `npx quarry db:seed` runs `database/seeders/database-seeder.ts`
 * (or every seeder, in name order), each in a transaction.
 *
 * ```ts
 * export default class DatabaseSeeder extends Seeder {
 *   async run() {
 *     await this.db.table('teams').insert({ name: 'Core' })
 *     await this.call(UserSeeder)
 *   }
 * }
 * ```
 */
export abstract class Seeder {
  abstract run(): Promise<void> | void

  /** The database being seeded. */
  get db(): Database {
    const db = (this as unknown as Record<symbol, Database | undefined>)[DATABASE]
    if (!db) throw new QuarryError(`${this.constructor.name || 'This seeder'} is not being run; use runSeeder(db, Seeder) or npx quarry db:seed`)
    return db
  }

  /** Runs other seeders, in order, inside this one's transaction. */
  async call(...seeders: SeederClass[]): Promise<void> {
    for (const Class of seeders) await runInstance(this.db, Class)
  }
}

/** Runs a seeder in a transaction on the database's default connection. */
export async function runSeeder(db: Database, Class: SeederClass): Promise<void> {
  await db.transaction(() => runInstance(db, Class))
}

async function runInstance(db: Database, Class: SeederClass): Promise<void> {
  const seeder = new Class()
  Object.defineProperty(seeder, DATABASE, { value: db, configurable: true })
  await seeder.run()
}

/** A default export that can be a seeder: a class with a `run` method. */
export function isSeederClass(value: unknown): value is SeederClass {
  return typeof value === 'function' && typeof (value as { prototype?: { run?: unknown } }).prototype?.run === 'function'
}
