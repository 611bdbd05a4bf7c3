// `npm run bench -- [options]`: what to run and how.
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { DialectName, WorkloadId } from './contestant.js'
import { CONTESTANTS } from './registry.js'
import { DIALECTS } from './targets.js'
import { WORKLOADS } from './workloads.js'

export interface Options {
  quick: boolean
  dialects: DialectName[]
  workloads: WorkloadId[]
  contestants: string[]
  rounds?: number
  warmup?: number
  /** Where the report goes; null: print only. */
  out: string | null
  install: boolean
  /** An extra suite (a file in benchmarks/) to run instead, with the remaining arguments. */
  suite?: { name: string; args: string[] }
  help: boolean
}

/** The single-purpose suites beside run.ts (connection-overhead, routing-overhead, migrations, …). */
export const EXTRA_SUITES: readonly string[] = readdirSync(fileURLToPath(new URL('../', import.meta.url)))
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -3))
  .sort()

export const USAGE = `Usage: npm run bench -- [options]

  --quick                 smaller sizes and fewer rounds on sqlite and postgres (under two minutes
                          on a quiet machine), for checking a change
  --dialects a,b          ${DIALECTS.join(', ')} (default: all, quick: sqlite,postgres; an unreachable
                          server is reported, not fatal)
  --workloads a,b         ${WORKLOADS.map((w) => w.id).join(', ')}
  --contestants a,b       ${CONTESTANTS.map((c) => c.name).join(', ')}
  --rounds N              measured rounds (default 10, quick 2)
  --warmup N              warm-up rounds (default 2, quick 1)
  --out FILE              write the report there (default benchmarks/RESULTS.md)
  --no-write              print the report only
  --no-install            do not install benchmarks/ dependencies when missing
  --suite NAME [args]     run an extra suite instead: ${EXTRA_SUITES.join(', ')}
`

function list<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T[] {
  if (!value) throw new Error(`${flag} needs a comma-separated list`)
  const items = value.split(',').map((s) => s.trim()).filter(Boolean)
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new Error(`${flag}: unknown "${item}" (one of ${allowed.join(', ')})`)
  }
  return items as T[]
}

function count(flag: string, value: string | undefined, min: number): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} needs a whole number ≥ ${min}`)
  return n
}

export function parseOptions(argv: readonly string[], defaultOut: string): Options {
  let dialectsGiven = false
  const options: Options = {
    quick: false,
    dialects: [...DIALECTS],
    workloads: WORKLOADS.map((w) => w.id),
    contestants: CONTESTANTS.map((c) => c.name),
    out: defaultOut,
    install: true,
    help: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined]
    const value = () => inline ?? argv[++i]
    switch (flag) {
      case '--quick': options.quick = true; break
      case '--dialects': options.dialects = list(flag, value(), DIALECTS); dialectsGiven = true; break
      case '--workloads': options.workloads = list(flag, value(), WORKLOADS.map((w) => w.id)); break
      case '--contestants': options.contestants = list(flag, value(), CONTESTANTS.map((c) => c.name)); break
      case '--rounds': options.rounds = count(flag, value(), 1); break
      case '--warmup': options.warmup = count(flag, value(), 0); break
      case '--out': options.out = value() ?? null; break
      case '--no-write': options.out = null; break
      case '--no-install': options.install = false; break
      case '--suite': {
        const name = value()
        if (!name || !EXTRA_SUITES.includes(name)) {
          throw new Error(`--suite: unknown "${name}" (one of ${EXTRA_SUITES.join(', ')})`)
        }
        options.suite = { name: name!, args: argv.slice(i + 1) }
        return options
      }
      case '--help': case '-h': options.help = true; break
      default: throw new Error(`unknown option ${argv[i]}\n\n${USAGE}`)
    }
  }
  // Quick mode keeps to the two databases the speed targets are about.
  if (options.quick && !dialectsGiven) options.dialects = ['sqlite', 'postgres']
  return options
}
