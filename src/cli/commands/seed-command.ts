import { readdirSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Command } from 'commander'
import type { Database } from '../../connection/database.js'
import { QuarryError } from '../../errors/index.js'
import { importFile } from '../../schema/import-file.js'
import { isSeederClass, runSeeder } from '../../schema/seeder.js'
import type { CliContext, DatabaseOptions } from '../cli-context.js'
import type { LoadedConfig } from '../config-loader.js'
import { kebab, snake } from '../names.js'
import { duration } from '../output.js'

const EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs'])

/** `db:seed [--class Name]` */
export function registerSeedCommand(program: Command, ctx: CliContext, addDatabaseOptions: (c: Command) => Command): void {
  addDatabaseOptions(program.command('db:seed').description('run the database seeder (or every seeder, or --class Name)'))
    .option('--class <Name>', 'run this seeder only')
    .action((options: DatabaseOptions & { class?: string }) =>
      ctx.withDatabase(options, (db, config) => seed(ctx, db, config, options.class)))
}

/**
 * Runs `database-seeder` when there is one, else every seeder in name order; with `only`, that
 * seeder alone. Each runs in a transaction.
 */
export async function seed(ctx: CliContext, db: Database, config: LoadedConfig, only?: string): Promise<void> {
  const directory = config.seedersDirectory
  let files: string[]
  try {
    files = readdirSync(directory).filter((f) => EXTENSIONS.has(extname(f)) && !/\.d\.m?ts$/.test(f)).sort()
  } catch {
    throw new QuarryError(`The seeders directory ${directory} does not exist (create a seeder with: npx quarry make:seeder DatabaseSeeder)`)
  }
  const stem = (f: string) => basename(f, extname(f))
  const matches = (f: string, name: string) => [name, kebab(name), snake(name)].includes(stem(f))
  let chosen = files
  if (only !== undefined) {
    chosen = files.filter((f) => matches(f, only))
    if (!chosen.length) {
      throw new QuarryError(`No seeder named ${only} in ${directory}; found: ${files.map(stem).join(', ') || 'none'}`)
    }
  } else {
    const main = files.filter((f) => matches(f, 'DatabaseSeeder'))
    if (main.length) chosen = main
  }
  if (!chosen.length) {
    ctx.out.line(`No seeders in ${directory}.`)
    return
  }
  for (const file of chosen) {
    const module = await importFile(join(directory, file))
    const Class = module.default
    if (!isSeederClass(Class)) {
      throw new QuarryError(`${join(directory, file)} must export default a class with run(): export default class extends Seeder { … }`)
    }
    ctx.out.line(`${ctx.out.c.yellow('Seeding     ')} ${stem(file)}`)
    const started = performance.now()
    await runSeeder(db, Class)
    ctx.out.line(`${ctx.out.c.green('Seeded      ')} ${stem(file)} ${ctx.out.c.dim(`(${duration(performance.now() - started)})`)}`)
  }
}
