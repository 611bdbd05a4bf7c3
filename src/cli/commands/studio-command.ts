import { relative } from 'node:path'
import type { Command } from 'commander'
import { QuarryError } from '../../errors/index.js'
import type { CliContext, DatabaseOptions } from '../cli-context.js'
import { loadModels } from '../model-loader.js'

interface StudioCommandOptions extends DatabaseOptions {
  port: number
  host: string
  readOnly?: boolean
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

/** `studio`: serves the web page over the models until Ctrl-C. */
export function registerStudioCommand(program: Command, ctx: CliContext, addDatabaseOptions: (c: Command) => Command): void {
  addDatabaseOptions(program.command('studio').description('a local web page to browse and edit the data through the models'))
    .option('--port <n>', 'the port (default 4983; 0 picks a free one)', (v) => {
      const n = Number(v)
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new QuarryError('--port: expected a whole number from 0 to 65535')
      return n
    }, 4983)
    .option('--host <address>', 'the address to bind (default 127.0.0.1: this machine only)', '127.0.0.1')
    .option('--read-only', 'refuse every write')
    .action((options: StudioCommandOptions) =>
      ctx.withDatabase(options, async (db, config) => {
        const models = await loadModels(config.modelsDirectory, ctx.cwd)
        const c = ctx.out.c
        if (!LOOPBACK.has(options.host)) {
          ctx.out.error(c.yellow(`Warning: the studio listens on ${options.host}, not 127.0.0.1: other machines may reach it, and anyone with the URL can read${options.readOnly ? '' : ' and change'} the data.`))
        }
        const { startStudio } = await import('../../studio/server.js')
        const studio = await startStudio({ db, models, host: options.host, port: options.port, readOnly: options.readOnly ?? false })
        ctx.out.line(`Quarry studio: ${models.length} model${models.length === 1 ? '' : 's'} from ${relative(ctx.cwd, config.modelsDirectory) || '.'}${options.readOnly ? ', read-only' : ''}`)
        ctx.out.line(`Open ${c.bold(studio.url)}`)
        ctx.out.line(c.dim('Ctrl-C stops it.'))
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop)
            process.off('SIGTERM', stop)
            resolve()
          }
          process.on('SIGINT', stop)
          process.on('SIGTERM', stop)
        })
        await studio.close()
      }))
}
