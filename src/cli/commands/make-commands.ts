import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Command } from 'commander'
import { QuarryError } from '../../errors/index.js'
import type { CliContext } from '../cli-context.js'
import { kebab, pascal, snake, tableOf } from '../names.js'
import { migrationTemplate, modelTemplate, seederTemplate } from '../templates.js'

interface MakeOptions {
  config?: string
  create?: string
  table?: string
  migration?: boolean
  force?: boolean
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `make:migration`, `make:model`, `make:seeder`: files from templates, never overwriting one. */
export function registerMakeCommands(program: Command, ctx: CliContext): void {
  program
    .command('make:migration')
    .description('create a migration file named YYYY_MM_DD_HHMMSS_<name>')
    .argument('<name>', 'what it does, e.g. create_posts_table or add_title_to_posts_table')
    .option('--create <table>', 'start from a createTable template for this table')
    .option('--table <table>', 'start from an alterTable template for this table')
    .option('--config <path>', 'the config file (default: quarry.config.ts/.js/.mjs here)')
    .action(async (name: string, options: MakeOptions) => {
      const config = await ctx.config(options)
      const file = writeMigration(config.migrationsDirectory, name, options, config.typescript ? 'ts' : 'mjs')
      ctx.out.line(`${ctx.out.c.green('Created migration')} ${relative(ctx.cwd, file)}`)
    })

  program
    .command('make:model')
    .description('create a model class (and, with --migration, the migration creating its table)')
    .argument('<Name>', 'the class name, e.g. Post or BlogPost')
    .option('-m, --migration', 'also create the migration for its table')
    .option('--force', 'overwrite an existing model file')
    .option('--config <path>', 'the config file (default: quarry.config.ts/.js/.mjs here)')
    .action(async (name: string, options: MakeOptions) => {
      const config = await ctx.config(options)
      const className = checkedClassName(name)
      const table = tableOf(className)
      const file = join(config.modelsDirectory, `${kebab(className)}.ts`)
      write(file, modelTemplate(className, table), options.force)
      ctx.out.line(`${ctx.out.c.green('Created model')} ${relative(ctx.cwd, file)} ${ctx.out.c.dim(`(table ${table})`)}`)
      if (options.migration) {
        const migration = writeMigration(config.migrationsDirectory, `create_${table}_table`, { create: table }, config.typescript ? 'ts' : 'mjs')
        ctx.out.line(`${ctx.out.c.green('Created migration')} ${relative(ctx.cwd, migration)}`)
      }
    })

  program
    .command('make:seeder')
    .description('create a seeder class')
    .argument('<Name>', 'the class name, e.g. UserSeeder')
    .option('--force', 'overwrite an existing seeder file')
    .option('--config <path>', 'the config file (default: quarry.config.ts/.js/.mjs here)')
    .action(async (name: string, options: MakeOptions) => {
      const config = await ctx.config(options)
      const className = checkedClassName(name)
      const file = join(config.seedersDirectory, `${kebab(className)}.${config.typescript ? 'ts' : 'mjs'}`)
      write(file, seederTemplate(className), options.force)
      ctx.out.line(`${ctx.out.c.green('Created seeder')} ${relative(ctx.cwd, file)}`)
    })
}

function writeMigration(directory: string, rawName: string, options: MakeOptions, extension: string): string {
  const name = snake(rawName)
  if (!name) throw new QuarryError(`"${rawName}" is not a usable migration name; try create_posts_table`)
  if (options.create !== undefined && options.table !== undefined) {
    throw new QuarryError('Give --create or --table, not both')
  }
  const table = options.create ?? options.table
  if (table !== undefined && !IDENTIFIER.test(table)) throw new QuarryError(`"${table}" is not a table name (letters, digits and _)`)
  const kind = options.create !== undefined ? { create: options.create }
    : options.table !== undefined ? { table: options.table }
    : guessKind(name)
  const existing = existsSync(directory) ? readdirSync(directory) : []
  const clash = existing.find((f) => f.replace(/\.[^.]+$/, '').slice(18) === name)
  if (clash) throw new QuarryError(`A migration named ${name} already exists: ${clash}`)
  // Migrations run in name order: a second one made within the same second gets the next second.
  let when = new Date()
  while (existing.some((f) => f.startsWith(stamp(when)))) when = new Date(when.getTime() + 1000)
  const file = join(directory, `${stamp(when)}_${name}.${extension}`)
  write(file, migrationTemplate(kind), false)
  return file
}

/** `create_posts_table` creates posts; `add_title_to_posts_table` changes posts. */
function guessKind(name: string): { create: string } | { table: string } | null {
  const create = /^create_(\w+?)_table$/.exec(name)
  if (create) return { create: create[1]! }
  const change = /_(?:to|from|in|on)_(\w+?)_table$/.exec(name)
  if (change) return { table: change[1]! }
  return null
}

/** `2026_11_22_101500`, in UTC so that a team in several time zones keeps one order. */
export function stamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${date.getUTCFullYear()}_${p(date.getUTCMonth() + 1)}_${p(date.getUTCDate())}_` +
    `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`
}

function checkedClassName(name: string): string {
  const className = /^[A-Z][A-Za-z0-9]*$/.test(name) ? name : pascal(name)
  if (!/^[A-Z][A-Za-z0-9]*$/.test(className)) throw new QuarryError(`"${name}" is not a usable class name; try Post or BlogPost`)
  return className
}

function write(file: string, content: string, force: boolean | undefined): void {
  if (existsSync(file) && !force) throw new QuarryError(`${file} already exists; add --force to overwrite it`)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, content)
}
