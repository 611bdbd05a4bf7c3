// What the report says about where and with what it ran: the machine, Node, the packages.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem, type } from 'node:os'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BENCH = fileURLToPath(new URL('../', import.meta.url))

export interface Machine {
  cpu: string
  cores: number
  memoryGiB: number
  os: string
  node: string
}

export function machine(): Machine {
  const list = cpus()
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    os: `${type()} ${release()}`,
    node: process.version,
  }
}

/** The 1-minute load average: a busy machine makes noisy numbers, so the report says how busy. */
export function load(): number {
  return loadavg()[0]!
}

/** The installed version of a package, looked up in benchmarks/node_modules first, then the root's. */
export function packageVersion(name: string): string | undefined {
  for (const base of [BENCH, ROOT]) {
    const file = `${base}node_modules/${name}/package.json`
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
  }
  return undefined
}

/** Quarry's version and the commit it ran from (with `+changes` when the work tree differs). */
export function quarryVersion(): string {
  const { version } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim()
    return `${version} (${commit}${dirty ? ' +changes in src' : ''})`
  } catch {
    return version
  }
}
