import { performance } from 'node:perf_hooks'
import type { Command } from 'commander'
import type { CliContext, DatabaseOptions } from '../cli-context.js'
import { duration } from '../output.js'

/** `db:wipe [--force]` */
export function registerWipeCommand(program: Command, ctx: CliContext, addDatabaseOptions: (c: Command) => Command): void {
  addDatabaseOptions(program.command('db:wipe').description('drop every table, view and type of the database'))
    .option('--force', 'run even with NODE_ENV=production')
    .action((options: DatabaseOptions & { force?: boolean }) => {
      ctx.guardProduction('db:wipe', 'drops every table, view and type', options.force)
      return ctx.withDatabase(options, async (db) => {
        const started = performance.now()
        const { wipeDatabase } = await import('../../schema/wipe-database.js')
        const wiped = await wipeDatabase(db.connection(options.connection))
        const c = ctx.out.c
        for (const [kind, names] of [['views', wiped.views], ['tables', wiped.tables], ['types', wiped.types]] as const) {
          if (names.length) ctx.out.line(`${c.green('Dropped     ')} ${kind}: ${names.join(', ')}`)
        }
        const total = wiped.views.length + wiped.tables.length + wiped.types.length
        ctx.out.line(total ? c.green(`Wiped the database (${duration(performance.now() - started)}).`) : 'The database was empty already.')
      })
    })
}
