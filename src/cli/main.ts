import { readFileSync } from 'node:fs'
import { Command, CommanderError } from 'commander'
import { QuarryError } from '../errors/index.js'
import { CliContext } from './cli-context.js'
import { registerMakeCommands } from './commands/make-commands.js'
import { registerMakeFactoryCommand } from './commands/make-factory-command.js'
import { registerMigrateCommands } from './commands/migrate-commands.js'
import { registerSeedCommand } from './commands/seed-command.js'
import { registerInitCommand } from './commands/init-command.js'
import { registerModelCommands } from './commands/model-commands.js'
import { registerReplCommand } from './commands/repl-command.js'
import { registerWipeCommand } from './commands/wipe-command.js'
import { registerGenerateCommands } from './commands/generate-commands.js'
import { registerStudioCommand } from './commands/studio-command.js'

export interface CliIo {
  cwd: string
  env: NodeJS.ProcessEnv
  stdout: { write(text: string): unknown; isTTY?: boolean }
  stderr: { write(text: string): unknown }
}

/**
 * The `quarry` command. Resolves to the process's exit code: 0 on success, 1 on any failure,
 * which is printed without a stack trace unless `--verbose`.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const ctx = new CliContext(io.cwd, io.env, io.stdout, io.stderr)
  const program = new Command('quarry')
    .description('Quarry: migrations, seeders, models and scaffolding')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.out.line(text.replace(/\n$/, '')),
      writeErr: (text) => ctx.out.error(text.replace(/\n$/, '')),
    })
  const addDatabaseOptions = (command: Command) =>
    command
      .option('--connection <name>', 'the connection to use (default: the config\'s default)')
      .option('--config <path>', 'the config file (default: quarry.config.ts/.js/.mjs here)')
      .option('--verbose', 'print stack traces with errors')
  registerMigrateCommands(program, ctx, addDatabaseOptions)
  registerSeedCommand(program, ctx, addDatabaseOptions)
  registerMakeCommands(program, ctx)
  registerInitCommand(program, ctx)
  registerWipeCommand(program, ctx, addDatabaseOptions)
  registerModelCommands(program, ctx, addDatabaseOptions)
  registerReplCommand(program, ctx, addDatabaseOptions)
  registerMakeFactoryCommand(program, ctx)
  registerGenerateCommands(program, ctx, addDatabaseOptions)
  registerStudioCommand(program, ctx, addDatabaseOptions)
  for (const command of program.commands) command.exitOverride()

  try {
    await program.parseAsync([...argv], { from: 'user' })
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode
    const verbose = argv.includes('--verbose')
    ctx.out.error(ctx.out.c.red(`${error instanceof QuarryError ? '' : 'error: '}${describe(error, verbose)}`))
    return 1
  }
}

function describe(error: unknown, verbose: boolean): string {
  if (!(error instanceof Error)) return String(error)
  if (!verbose) return error.message
  let text = error.stack ?? error.message
  for (let cause = error.cause; cause instanceof Error; cause = cause.cause) text += `\nCaused by: ${cause.stack ?? cause.message}`
  return text
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

function processIo(): CliIo {
  return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr }
}
