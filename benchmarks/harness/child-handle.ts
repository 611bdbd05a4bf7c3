// The parent's side of one contestant process: start it, wait for its messages (with a time
// limit), ask it to run, and end it.
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ChildConfig, ChildMessage } from './protocol.js'

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))
const REGISTER = new URL('../../scripts/register-ts.js', import.meta.url).href
/** Peers' optional modules (pg-query-stream for knex's stream on PostgreSQL) live in benchmarks/node_modules. */
const BENCH_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url))

export class ChildHandle {
  private readonly child: ChildProcess
  private readonly queue: ChildMessage[] = []
  private waiting: ((message: ChildMessage | Error) => void) | undefined
  private stderr = ''
  private exited: Error | undefined

  constructor(config: ChildConfig) {
    const nodePath = [BENCH_MODULES, process.env.NODE_PATH].filter(Boolean).join(':')
    this.child = fork(CHILD, [JSON.stringify(config)], {
      execArgv: ['--import', REGISTER, '--expose-gc'],
      env: { ...process.env, NODE_PATH: nodePath, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-2_000)
    })
    this.child.on('message', (message: ChildMessage) => this.deliver(message))
    this.child.on('exit', (code, signal) => {
      const last = this.stderr.trim().split('\n').filter(Boolean).pop()
      this.exited = new Error(`process exited (${signal ?? code})${last ? `: ${last}` : ''}`)
      this.deliver(this.exited)
    })
  }

  private deliver(message: ChildMessage | Error) {
    const waiting = this.waiting
    if (waiting) {
      this.waiting = undefined
      waiting(message)
    } else if (!(message instanceof Error)) {
      this.queue.push(message)
    }
  }

  /** The next message from the child, or an error when it exits or stays silent past the limit. */
  receive(timeoutMs: number): Promise<ChildMessage> {
    const queued = this.queue.shift()
    if (queued) return Promise.resolve(queued)
    if (this.exited) return Promise.reject(this.exited)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined
        this.child.kill('SIGKILL')
        reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`))
      }, timeoutMs)
      this.waiting = (message) => {
        clearTimeout(timer)
        if (message instanceof Error) reject(message)
        else resolve(message)
      }
    })
  }

  /** Asks for one run of the workload and waits for its result. */
  run(tag: string, timeoutMs: number): Promise<ChildMessage> {
    this.child.send({ type: 'run', tag })
    return this.receive(timeoutMs)
  }

  /** Lets the contestant close its connections, then makes sure the process is gone. */
  async close(): Promise<void> {
    if (this.exited) return
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    try {
      this.child.send({ type: 'close' })
    } catch {
      this.child.kill('SIGKILL')
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000)
    await gone
    clearTimeout(timer)
  }
}
