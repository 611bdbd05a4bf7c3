import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Command } from 'commander'
import { QuarryError } from '../../errors/index.js'
import { writeMigration } from '../../schema/migration-writer.js'
import { describeChange } from '../../schema/schema-diff.js'
import { planSchema } from '../../schema/schema-plan.js'
import type { CliContext, DatabaseOptions } from '../cli-context.js'
import type { LoadedConfig } from '../config-loader.js'
import { loadModels } from '../model-loader.js'
import { snake } from '../names.js'
import { stamp } from './make-commands.js'

interface GenerateOptions extends DatabaseOptions {
  rename?: string[]
  allowDrop?: boolean
}

/** `migrate:generate <name>` and `migrate:check`: the models compared with the database. */
export function registerGenerateCommands(program: Command, ctx: CliContext, addDatabaseOptions: (c: Command) => Command): void {
  const plan = async (db: import('../../connection/database.js').Database, config: LoadedConfig, options: GenerateOptions) => {
    const models = (await loadModels(config.modelsDirectory, ctx.cwd)).map((m) => m.model)
    if (!models.length) throw new QuarryError(`No models in ${relative(ctx.cwd, config.modelsDirectory) || config.modelsDirectory}: the generator compares the models with the database`)
    return planSchema(db.connection(options.connection), models, { renames: options.rename ?? [], allowDrop: options.allowDrop ?? false })
  }

  addDatabaseOptions(program.command('migrate:generate'))
    .description('write a migration (up and down) from the differences between the models and the database')
    .argument('<name>', 'what it does, e.g. add_nickname_to_users')
    .option('--rename <table.old:new>', 'a column (table.old:new) or table (old:new) that was renamed, not dropped and added; repeatable', collect, [])
    .option('--allow-drop', 'drop tables, columns, indexes and foreign keys the models no longer have')
    .action((rawName: string, options: GenerateOptions) =>
      ctx.withDatabase(options, async (db, config) => {
        const name = snake(rawName)
        if (!name) throw new QuarryError(`"${rawName}" is not a usable migration name; try add_nickname_to_users`)
        const { changes, warnings } = await plan(db, config, options)
        for (const warning of warnings) ctx.out.line(ctx.out.c.yellow(`warning: ${warning}`))
        if (!changes.length) {
          ctx.out.line('Nothing to generate: the database matches the models.')
          return
        }
        const directory = config.migrationsDirectory
        mkdirSync(directory, { recursive: true })
        const existing = existsSync(directory) ? readdirSync(directory) : []
        let when = new Date()
        while (existing.some((f) => f.startsWith(stamp(when)))) when = new Date(when.getTime() + 1000)
        let source = writeMigration(changes)
        if (!config.typescript) source = source.replace(/\): Promise<void> \{/g, ') {')
        const file = join(directory, `${stamp(when)}_${name}.${config.typescript ? 'ts' : 'mjs'}`)
        writeFileSync(file, source)
        ctx.out.line(`${ctx.out.c.green('Created migration')} ${relative(ctx.cwd, file)}`)
        for (const change of changes) ctx.out.line(`  ${describeChange(change)}`)
      }))

  addDatabaseOptions(program.command('migrate:check'))
    .description('exit 1, listing the differences, when the models and the database differ (for CI)')
    .action((options: GenerateOptions) =>
      ctx.withDatabase(options, async (db, config) => {
        const { changes, warnings } = await plan(db, config, { ...options, allowDrop: true })
        if (!changes.length && !warnings.length) {
          ctx.out.line('The database matches the models.')
          return
        }
        ctx.out.line(`The database differs from the models (${changes.length} difference${changes.length === 1 ? '' : 's'}):`)
        for (const change of changes) ctx.out.line(`  ${describeChange(change)}`)
        throw new QuarryError('migrate:check: the models and the database differ; run npx quarry migrate:generate <name>, then npx quarry migrate')
      }))
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}
