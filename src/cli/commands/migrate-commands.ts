import { type Command, InvalidArgumentError } from 'commander'
import type { Database } from '../../connection/database.js'
import type { MigrationProgress, MigrationRun } from '../../schema/migrator.js'
import { Migrator } from '../../schema/migrator.js'
import type { CliContext, DatabaseOptions } from '../cli-context.js'
import type { LoadedConfig } from '../config-loader.js'
import { duration, type Output } from '../output.js'
import { seed } from './seed-command.js'

interface MigrateOptions extends DatabaseOptions {
  dryRun?: boolean
  force?: boolean
  seed?: boolean
  /** `migrate --step` (each migration its own batch); `migrate:rollback --step N`. */
  step?: number | boolean
  lockTimeout?: number
}

/** `migrate`, `migrate:rollback`, `migrate:status`, `migrate:reset`, `migrate:refresh`, `migrate:fresh`, `migrate:unlock`. */
export function registerMigrateCommands(program: Command, ctx: CliContext, addDatabaseOptions: (c: Command) => Command): void {
  const migrator = (db: Database, config: LoadedConfig, options: MigrateOptions) =>
    new Migrator(db, {
      directory: config.migrationsDirectory,
      ...(options.connection !== undefined ? { connection: options.connection } : {}),
      lockTimeoutMs: options.lockTimeout ?? config.lockTimeoutMs ?? 60_000,
      onProgress: (event) => progress(ctx.out, event, options.dryRun ?? false),
    })
  const command = (name: string, description: string) =>
    addDatabaseOptions(program.command(name).description(description))
      .option('--lock-timeout <ms>', 'how long to wait for another run to finish', count)
      // --pretend is --dry-run under artisan's name.
      .hook('preAction', (_, action) => {
        if (action.opts().pretend) action.setOptionValue('dryRun', true)
      })

  command('migrate', 'apply every pending migration, as one new batch')
    .option('--dry-run', 'print the SQL that would run; change nothing')
    .option('--pretend', 'the same as --dry-run')
    .option('--seed', 'run the seeders afterwards')
    .option('--step', 'run each migration as a batch of its own, so that rollback undoes one at a time')
    .action((options: MigrateOptions) =>
      ctx.withDatabase(options, async (db, config) => {
        const step = options.step === true
        const run = await migrator(db, config, options).latest({ dryRun: options.dryRun ?? false, step })
        const n = plural(run.migrations.length, 'migration')
        const last = (run.batch ?? 0) + run.migrations.length - 1
        const batches = step && last > (run.batch ?? 0) ? `batches ${run.batch}–${last}` : `batch ${run.batch}`
        summarize(ctx.out, run, run.migrations.length ? [`Ran ${n} in ${batches}`, `would run ${n} in ${batches}`] : null, 'Nothing to migrate.')
        if (options.seed && !options.dryRun) await seed(ctx, db, config)
      }))

  command('migrate:rollback', 'roll back the last batch, or the last N migrations with --step')
    .option('--step <n>', 'roll back this many migrations', count)
    .option('--dry-run', 'print the SQL that would run; change nothing')
    .option('--pretend', 'the same as --dry-run')
    .action((options: MigrateOptions) =>
      ctx.withDatabase(options, async (db, config) => {
        const run = await migrator(db, config, options).rollback({
          ...(typeof options.step === 'number' ? { step: options.step } : {}),
          dryRun: options.dryRun ?? false,
        })
        summarize(ctx.out, run, rolledBack(run), 'Nothing to roll back.')
      }))

  command('migrate:status', 'list every migration: batch and time it ran, or pending')
    .action((options: MigrateOptions) =>
      ctx.withDatabase(options, async (db, config) => {
        const rows = await migrator(db, config, options).status()
        if (!rows.length) {
          ctx.out.line(`No migrations in ${config.migrationsDirectory}.`)
          return
        }
        const c = ctx.out.c
        ctx.out.table(
          ['Migration', 'Batch', 'Ran at'],
          rows.map((r) => [r.name, r.batch === null ? '' : String(r.batch), r.ranAt ? formatTime(r.ranAt) : r.missing ? 'Ran (file missing)' : 'Pending']),
          (row, column, text) => (column === 2 ? (rows[row]!.batch === null ? c.yellow(text) : rows[row]!.missing ? c.red(text) : c.green(text)) : text),
        )
        const pending = rows.filter((r) => r.batch === null).length
        ctx.out.line(`${plural(rows.length - pending, 'migration')} ran, ${pending} pending.`)
      }))

  command('migrate:reset', 'roll back every migration')
    .option('--force', 'run even with NODE_ENV=production')
    .option('--dry-run', 'print the SQL that would run; change nothing')
    .option('--pretend', 'the same as --dry-run')
    .action((options: MigrateOptions) => {
      ctx.guardProduction('migrate:reset', 'rolls back every migration', options.force || options.dryRun)
      return ctx.withDatabase(options, async (db, config) => {
        const run = await migrator(db, config, options).reset({ dryRun: options.dryRun ?? false })
        summarize(ctx.out, run, rolledBack(run), 'Nothing to roll back.')
      })
    })

  command('migrate:refresh', 'roll back every migration, then apply them all again')
    .option('--force', 'run even with NODE_ENV=production')
    .option('--seed', 'run the seeders afterwards')
    .option('--dry-run', 'print the SQL that would run; change nothing')
    .option('--pretend', 'the same as --dry-run')
    .action((options: MigrateOptions) => {
      ctx.guardProduction('migrate:refresh', 'rolls back every migration', options.force || options.dryRun)
      return ctx.withDatabase(options, async (db, config) => {
        const run = await migrator(db, config, options).refresh({ dryRun: options.dryRun ?? false })
        const down = run.migrations.filter((m) => m.direction === 'down').length
        const did = `${plural(down, 'migration')} rolled back, ${plural(run.migrations.length - down, 'migration')} run`
        summarize(ctx.out, run, [`Refreshed: ${did}`, `would have ${did}`], '')
        if (options.seed && !options.dryRun) await seed(ctx, db, config)
      })
    })

  command('migrate:fresh', 'drop every table, then apply every migration')
    .option('--force', 'run even with NODE_ENV=production')
    .option('--seed', 'run the seeders afterwards')
    .option('--dry-run', 'print the SQL that would run; change nothing')
    .option('--pretend', 'the same as --dry-run')
    .action((options: MigrateOptions) => {
      ctx.guardProduction('migrate:fresh', 'drops every table', options.force || options.dryRun)
      return ctx.withDatabase(options, async (db, config) => {
        const run = await migrator(db, config, options).fresh({ dryRun: options.dryRun ?? false })
        const tables = plural(run.dropped.length, 'table')
        const n = plural(run.migrations.length, 'migration')
        summarize(ctx.out, run, [`Dropped ${tables}, ran ${n}`, `would drop ${tables} and run ${n}`], '')
        if (options.seed && !options.dryRun) await seed(ctx, db, config)
      })
    })

  command('migrate:unlock', 'release the migration lock a crashed run left behind')
    .action((options: MigrateOptions) =>
      ctx.withDatabase(options, async (db, config) => {
        const released = await migrator(db, config, options).unlock()
        ctx.out.line(released ? ctx.out.c.green('Released the migration lock.') : 'No migration lock was held.')
      }))
}

function progress(out: Output, event: MigrationProgress, dryRun: boolean): void {
  const c = out.c
  switch (event.type) {
    case 'waiting':
      out.line(c.yellow(`Waiting for the migration lock (held by ${event.holder})…`))
      return
    case 'start':
      if (!dryRun) out.line(`${c.yellow(event.direction === 'up' ? 'Migrating   ' : 'Rolling back')} ${event.name}`)
      return
    case 'done': {
      const m = event.migration
      if (dryRun) {
        out.line(c.dim(`-- ${m.name} (${m.direction})`))
        for (const s of m.statements) out.line(`${s.sql};${s.bindings.length ? c.dim(` -- bindings: ${JSON.stringify(s.bindings)}`) : ''}`)
        return
      }
      out.line(`${c.green(m.direction === 'up' ? 'Migrated    ' : 'Rolled back ')} ${m.name} ${c.dim(`(${duration(m.durationMs)})`)}`)
      return
    }
    case 'dropped':
      if (dryRun) {
        out.line(c.dim('-- drop every table'))
        for (const s of event.statements) out.line(`${s.sql};`)
      } else out.line(`${c.green('Dropped     ')} ${event.tables.length ? event.tables.join(', ') : 'no tables'}`)
  }
}

/** The closing line: `[done, would]` phrases, or null when there was nothing to do. */
function summarize(out: Output, run: MigrationRun, phrases: [string, string] | null, nothing: string): void {
  if (run.dryRun) {
    out.line(out.c.cyan(phrases ? `Dry run: ${phrases[1]}; nothing was changed.` : `Dry run: ${nothing} Nothing was changed.`))
    return
  }
  out.line(phrases ? out.c.green(`${phrases[0]} (${duration(run.durationMs)}).`) : nothing)
}

function rolledBack(run: MigrationRun): [string, string] | null {
  const n = plural(run.migrations.length, 'migration')
  return run.migrations.length ? [`Rolled back ${n}`, `would roll back ${n}`] : null
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function formatTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
}

function count(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1.`)
  return n
}
