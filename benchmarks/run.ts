// `npm run bench`: Quarry against the raw drivers, knex, Objection.js, Sequelize and TypeORM on
// SQLite, PostgreSQL and MySQL/MariaDB. See docs/benchmarks.md; `npm run bench -- --help`.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DialectName } from './harness/contestant.js'
import { seed } from './harness/dataset.js'
import { load, machine, packageVersion, quarryVersion } from './harness/environment.js'
import { ensureInstalled } from './harness/install.js'
import { parseOptions, USAGE, type Options } from './harness/options.js'
import { runWorkload } from './harness/orchestrator.js'
import { BASELINE, CONTESTANTS } from './harness/registry.js'
import { renderReport } from './harness/report.js'
import type { DialectResult, RunResult } from './harness/results.js'
import { summarise, type Cell } from './harness/stats.js'
import { openTarget } from './harness/targets.js'
import { WORKLOADS } from './harness/workloads.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const DEFAULT_OUT = fileURLToPath(new URL('./RESULTS.md', import.meta.url))
const RUN_TIMEOUT_MS = 10 * 60_000

const log = (line: string) => console.error(line)
const brief = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 300)

function runSuite(name: string, args: string[]): never {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url))
  const result = spawnSync(process.execPath, ['--import', new URL('../scripts/register-ts.js', import.meta.url).href, file, ...args], { stdio: 'inherit' })
  process.exit(result.status ?? 1)
}

function short(cell: Cell): string {
  if (cell.status === 'unsupported') return '—'
  if (cell.status === 'error' || !cell.time) return `error: ${cell.message}`
  return `${cell.time.median.toFixed(1)} ms${cell.ratio ? ` (${cell.ratio.median.toFixed(2)}×)` : ''}${cell.heapMb !== undefined ? ` ${cell.heapMb.toFixed(0)} MB` : ''}`
}

/** The database being used, dropped on Ctrl-C too (a SQLite file on tmpfs holds memory). */
let current: Awaited<ReturnType<typeof openTarget>> | undefined
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`\n${signal}: dropping the benchmark database and stopping`)
    const timer = setTimeout(() => process.exit(130), 10_000)
    void (current?.drop() ?? Promise.resolve()).finally(() => {
      clearTimeout(timer)
      process.exit(130)
    })
  })
}

async function runDialect(dialect: DialectName, options: Options): Promise<DialectResult> {
  const specs = WORKLOADS.filter((w) => options.workloads.includes(w.id))
  const contestants = CONTESTANTS.filter((c) => options.contestants.includes(c.name))
  const stream = specs.find((w) => w.id === 'stream')
  let open
  try {
    open = await openTarget(dialect)
  } catch (error) {
    log(`${dialect}: skipped: ${brief(error)}`)
    return { dialect, skipped: `cannot reach the server (${brief(error)})`, workloads: [] }
  }
  const result: DialectResult = { dialect, server: open.serverVersion, workloads: [] }
  current = open
  try {
    const seeding = Date.now()
    await seed(open.knex, dialect, stream ? stream.size[options.quick ? 'quick' : 'full'] : 1)
    log(`${dialect}: ${open.serverVersion}; seeded in ${((Date.now() - seeding) / 1000).toFixed(1)} s`)
    for (const spec of specs) {
      const began = Date.now()
      const mode = options.quick ? 'quick' : 'full'
      const size = spec.size[mode]
      const rounds = options.rounds ?? spec.rounds?.[mode] ?? (options.quick ? 2 : 10)
      const warmup = options.warmup ?? (options.quick ? spec.quickWarmup ?? 1 : spec.rounds?.warmup ?? 2)
      const outcomes = await runWorkload(open, spec, { size, rounds, warmup, runTimeoutMs: RUN_TIMEOUT_MS }, contestants)
      const cells: Record<string, Cell> = {}
      for (const [name, outcome] of outcomes) cells[name] = summarise(outcome, outcomes.get(BASELINE), name === BASELINE)
      result.workloads.push({ spec, size, rounds, warmup, cells })
      log(`${dialect} · ${spec.title(size)} (${((Date.now() - began) / 1000).toFixed(1)} s)\n${Object.entries(cells).map(([n, c]) => `    ${n.padEnd(10)} ${short(c)}`).join('\n')}`)
    }
  } catch (error) {
    result.skipped = `stopped: ${brief(error)}`
    log(`${dialect}: ${result.skipped}`)
  } finally {
    current = undefined
    await open.drop()
  }
  return result
}

let options: Options
try {
  options = parseOptions(process.argv.slice(2), DEFAULT_OUT)
} catch (error) {
  console.error((error as Error).message)
  process.exit(2)
}
if (options.help) {
  console.log(USAGE)
  process.exit(0)
}
if (options.suite) runSuite(options.suite.name, options.suite.args)
if (options.install) ensureInstalled()

const started = new Date()
const loadAtStart = load()
const dialects: DialectResult[] = []
for (const dialect of options.dialects) dialects.push(await runDialect(dialect, options))

const packages = ['knex', 'better-sqlite3', 'pg', 'mysql2', ...new Set(CONTESTANTS.flatMap((c) => c.packages))]
const run: RunResult = {
  started,
  seconds: (Date.now() - started.getTime()) / 1000,
  quick: options.quick,
  command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  machine: machine(),
  loadAtStart,
  loadAtEnd: load(),
  versions: [['quarry', quarryVersion()], ...[...new Set(packages)].map((p) => [p, packageVersion(p) ?? 'not installed'] as [string, string])],
  contestants: CONTESTANTS.filter((c) => options.contestants.includes(c.name)),
  dialects,
}
const report = renderReport(run)
console.log(`\n${report}`)
if (options.out) {
  writeFileSync(options.out, report)
  log(`written to ${relative(ROOT, options.out) || options.out}`)
}
