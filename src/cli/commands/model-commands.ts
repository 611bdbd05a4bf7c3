import type { Command } from 'commander'
import { QuarryError } from '../../errors/index.js'
import type { CliContext, DatabaseOptions } from '../cli-context.js'
import type { PruneOptions } from './model-actions.js'

/**
 * `model:show` and `model:prune`. Their actions (model-actions.ts) load the model layer only
 * when they run, so that --help and the other commands start without it.
 */
export function registerModelCommands(program: Command, ctx: CliContext, addDatabaseOptions: (c: Command) => Command): void {
  addDatabaseOptions(program.command('model:show').description("show a model's table, columns, relations and listeners"))
    .argument('<Model>', 'the model class name, e.g. User')
    .action(async (name: string, options: DatabaseOptions) => (await import('./model-actions.js')).showModel(ctx, name, options))

  addDatabaseOptions(program.command('model:prune').description('delete the rows each prunable model selects (static prunable)'))
    .option('--model <Model...>', 'prune these models only')
    .option('--pretend', 'count the rows that would be pruned; delete nothing')
    .option('--chunk <n>', 'rows per statement (default 1000)', (v) => {
      const n = Number(v)
      if (!Number.isInteger(n) || n < 1) throw new QuarryError('--chunk: expected a whole number of at least 1')
      return n
    })
    .action(async (options: PruneOptions) => (await import('./model-actions.js')).pruneModels(ctx, options))
}

