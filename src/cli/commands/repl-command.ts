import { appendFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { type REPLEval, type REPLServer, start } from 'node:repl'
import type { Command } from 'commander'
import type { CliContext, DatabaseOptions } from '../cli-context.js'

/** The history file, in the project. */
export const REPL_HISTORY = '.quarry_repl_history'

/** `repl`: node:repl with `db` and every model of `models.directory`; top-level await. */
export function registerReplCommand(program: Command, ctx: CliContext, addDatabaseOptions: (c: Command) => Command): void {
  addDatabaseOptions(program.command('repl').description('a REPL with db and every model loaded; await works at the top level'))
    .action((options: DatabaseOptions) =>
      ctx.withDatabase(options, async (db, config) => {
        const { loadModels } = await import('../model-loader.js')
        const models = await loadModels(config.modelsDirectory, ctx.cwd)
        const c = ctx.out.c
        ctx.out.line(`Loaded ${models.length ? models.map((m) => m.name).join(', ') : 'no models'} from ${relative(ctx.cwd, config.modelsDirectory) || '.'}; db is the database. .exit to leave.`)
        const input = process.stdin
        const server = start({
          prompt: c.cyan('quarry> '),
          input,
          output: process.stdout,
          terminal: Boolean(input.isTTY && process.stdout.isTTY),
          useColors: c.isColorSupported,
          ignoreUndefined: true,
        })
        server.context.db = db
        for (const { name, model } of models) server.context[name] = model
        const history = join(ctx.cwd, REPL_HISTORY)
        if (server.terminal) {
          await new Promise<void>((resolve) => server.setupHistory(history, () => resolve()))
        } else {
          // node:repl keeps history for terminals only; piped input is recorded too.
          server.on('line', (line: string) => {
            if (line.trim()) appendFileSync(history, `${line}\n`)
          })
        }
        const drained = evaluateInOrder(server)
        // Ends with .exit, Ctrl-D or the end of piped input; the database closes once the last input ran.
        await new Promise<void>((resolve) => server.once('exit', () => resolve()))
        await drained()
        input.pause()
        if (typeof input.unref === 'function') input.unref()
      }))
}

/**
 * Runs each input after the previous one finished, awaits included: piped lines arrive at once,
 * and `await User.create(…)` then `await User.query().count()` must run in that order. Returns a
 * function that resolves when every input so far has run.
 */
function evaluateInOrder(server: REPLServer): () => Promise<void> {
  const evaluate: REPLEval = server.eval
  let queue = Promise.resolve()
  let finishCurrent: (() => void) | undefined
  // A rejected top-level await is reported without calling back; the prompt it shows after ends it.
  const displayPrompt = server.displayPrompt.bind(server)
  server.displayPrompt = (preserveCursor?: boolean) => {
    finishCurrent?.()
    displayPrompt(preserveCursor)
  }
  const ordered: REPLEval = function (this: REPLServer, code, context, file, done) {
    queue = queue.then(() => new Promise<void>((resolve) => {
      let finished = false
      finishCurrent = () => {
        if (finished) return
        finished = true
        finishCurrent = undefined
        resolve()
      }
      evaluate.call(this, code, context, file, (error, result) => {
        const finish = finishCurrent
        done(error, result)
        finish?.()
      })
    }))
  }
  ;(server as { eval: REPLEval }).eval = ordered
  return () => queue
}
