// Type-checks a generated project with one compiler and reads `--extendedDiagnostics`.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export interface Measurement {
  compiler: string
  version: string
  /** Whether the project checked without errors. */
  ok: boolean
  errors: string
  instantiations: number
  types: number
  checkSeconds: number
  totalSeconds: number
  memoryMb: number
  /** User + system CPU seconds of the compiler process (steadier than wall time on a busy machine). */
  cpuSeconds: number
  /**
   * The check phase's share of the CPU time: CPU seconds × check time / total time (the phases
   * are timed by the wall clock, which a busy machine stretches about evenly).
   */
  checkCpuSeconds: number
  /** Peak resident memory of the compiler process. */
  maxRssMb: number
  timedOut: boolean
}

const TIME = '/usr/bin/time'
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The compilers measured: TypeScript 7 (the `typescript` package) and the oldest 5.x supported. */
export const COMPILERS = {
  ts7: `${ROOT}node_modules/typescript/bin/tsc`,
  ts5: `${ROOT}node_modules/typescript5/bin/tsc`,
} as const

export type CompilerName = keyof typeof COMPILERS

function figure(output: string, label: string): number {
  const match = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(output)
  return match ? Number(match[1]) : NaN
}

/** Runs `tsc -p dir --extendedDiagnostics` (single-threaded on TypeScript 7) and reads its figures. */
export function measure(dir: string, compiler: CompilerName, timeoutMs = 600_000): Measurement {
  const tsc = COMPILERS[compiler]
  const version = spawnSync(process.execPath, [tsc, '-v'], { encoding: 'utf8' }).stdout.trim().replace(/^Version /, '')
  const args = [tsc, '-p', dir, '--extendedDiagnostics', ...(compiler === 'ts7' ? ['--singleThreaded'] : [])]
  // GNU time, where there is one, gives the CPU time and peak memory of the compiler itself.
  const timed = existsSync(TIME) ? [TIME, ['-f', 'CPU %U %S RSS %M', process.execPath, ...args]] as const : [process.execPath, args] as const
  const run = spawnSync(timed[0], timed[1], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 })
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`
  const usage = /^CPU ([\d.]+) ([\d.]+) RSS (\d+)/m.exec(output)
  const errors = output.split('\n').filter((line) => /error TS\d+/.test(line)).slice(0, 5).join('\n')
  return {
    compiler,
    version,
    ok: run.status === 0 && !errors,
    errors,
    instantiations: figure(output, 'Instantiations'),
    types: figure(output, 'Types'),
    checkSeconds: figure(output, 'Check time'),
    totalSeconds: figure(output, 'Total time'),
    memoryMb: Math.round(figure(output, 'Memory used') / 1024),
    cpuSeconds: usage ? Number(usage[1]) + Number(usage[2]) : NaN,
    checkCpuSeconds: usage ? ((Number(usage[1]) + Number(usage[2])) * figure(output, 'Check time')) / figure(output, 'Total time') : NaN,
    maxRssMb: usage ? Math.round(Number(usage[3]) / 1024) : NaN,
    timedOut: run.signal === 'SIGTERM',
  }
}
