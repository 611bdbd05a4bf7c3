import { readdir } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import { MigrationError } from '../errors/index.js'
import { importFile } from './import-file.js'
import { isMigrationClass, type MigrationClass } from './migration.js'
import { loadSqlMigration, SQL_MIGRATION_NAME } from './sql-migration.js'

/** One migration the migrator knows of, loaded only when it has to run. */
export interface MigrationEntry {
  readonly name: string
  /** The file it comes from, for directory migrations (an SQL pair's `.up.sql`). */
  readonly file?: string
  /** An SQL pair's `.down.sql`. */
  readonly downFile?: string
  load(): Promise<MigrationClass>
}

/** Where migrations come from: a directory of files, or classes bundled into the app. */
export interface MigrationSource {
  /** Every migration, in the order they run (by name). */
  list(): Promise<MigrationEntry[]>
}

const EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs'])
/** `2026_11_22_101500_create_users_table` */
export const MIGRATION_NAME = /^\d{4}_\d{2}_\d{2}_\d{6}_[A-Za-z0-9_]+$/

/**
 * Migration files (`.ts`, `.mts`, `.js`, `.mjs`) in one directory, each default-exporting a
 * Migration class, and plain SQL pairs `NNN_name.up.sql` / `NNN_name.down.sql`; all run in name order.
 */
export class DirectoryMigrationSource implements MigrationSource {
  readonly directory: string

  constructor(directory: string) {
    this.directory = resolve(directory)
  }

  async list(): Promise<MigrationEntry[]> {
    let files: string[]
    try {
      files = await readdir(this.directory)
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error
      throw new MigrationError(`The migrations directory ${this.directory} does not exist (create a migration with: npx quarry make:migration <name>)`)
    }
    const byName = new Map<string, string>()
    const misnamed: string[] = []
    const sql = sqlPairs(files, this.directory)
    for (const name of sql.keys()) byName.set(name, `${name}.up.sql`)
    for (const file of files.sort()) {
      if (!EXTENSIONS.has(extname(file)) || file.endsWith('.d.ts') || file.endsWith('.d.mts')) continue
      const name = basename(file, extname(file))
      if (!MIGRATION_NAME.test(name)) misnamed.push(file)
      else if (byName.has(name)) {
        throw new MigrationError(`Two files hold the migration ${name}: ${byName.get(name)} and ${file}; keep one`, { migration: name })
      } else byName.set(name, file)
    }
    if (misnamed.length) {
      throw new MigrationError(
        `Migration files must be named YYYY_MM_DD_HHMMSS_name (in ${this.directory}): ${misnamed.join(', ')}`,
      )
    }
    return [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, file]) => {
      const path = join(this.directory, file)
      const pair = sql.get(name)
      if (pair) return { name, file: pair.up, downFile: pair.down, load: () => loadSqlMigration(name, pair.up, pair.down) }
      return { name, file: path, load: () => loadClass(name, path) }
    })
  }
}

/** The `NNN_name.up.sql` / `.down.sql` pairs among `files`, by name; a half pair or a bad name is a `MigrationError`. */
function sqlPairs(files: readonly string[], directory: string): Map<string, { up: string; down: string }> {
  const ups = new Map<string, string>()
  const downs = new Map<string, string>()
  for (const file of files) {
    const match = /^(.*)\.(up|down)\.sql$/.exec(file)
    if (!match) {
      if (file.endsWith('.sql')) {
        throw new MigrationError(`${file} in ${directory}: an SQL migration is a pair of files, NNN_name.up.sql and NNN_name.down.sql`)
      }
      continue
    }
    const name = match[1]!
    if (!SQL_MIGRATION_NAME.test(name)) {
      throw new MigrationError(`${file} in ${directory}: SQL migrations are named NNN_name.up.sql / NNN_name.down.sql (NNN a sequence number or a timestamp)`, { migration: name })
    }
    ;(match[2] === 'up' ? ups : downs).set(name, join(directory, file))
  }
  const pairs = new Map<string, { up: string; down: string }>()
  for (const [name, up] of ups) {
    const down = downs.get(name)
    if (!down) {
      throw new MigrationError(`${name}.up.sql has no ${name}.down.sql beside it in ${directory}: add the file that undoes it (it may be empty only if nothing needs undoing)`, { migration: name })
    }
    pairs.set(name, { up, down })
  }
  for (const name of downs.keys()) {
    if (!ups.has(name)) throw new MigrationError(`${name}.down.sql has no ${name}.up.sql beside it in ${directory}`, { migration: name })
  }
  return pairs
}

async function loadClass(name: string, path: string): Promise<MigrationClass> {
  let module: Record<string, unknown>
  try {
    module = await importFile(path)
  } catch (error) {
    throw new MigrationError(`Could not load the migration ${name} (${path}): ${(error as Error).message}`, { migration: name }, { cause: error })
  }
  if (!isMigrationClass(module.default)) {
    throw new MigrationError(
      `${path} must export default a class with up() (and down()): export default class extends Migration { … }`,
      { migration: name },
    )
  }
  return module.default
}

/** Migration classes shipped inside the application: `{ '2026_01_01_000000_create_users': CreateUsers }`. */
export class BundledMigrationSource implements MigrationSource {
  constructor(private readonly classes: Readonly<Record<string, MigrationClass>>) {}

  async list(): Promise<MigrationEntry[]> {
    return Object.keys(this.classes)
      .sort()
      .map((name) => {
        const value: unknown = this.classes[name]
        if (!isMigrationClass(value)) {
          throw new MigrationError(`The bundled migration "${name}" is not a class with up()`, { migration: name })
        }
        return { name, load: async () => value }
      })
  }
}
