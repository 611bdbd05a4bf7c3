// The shape of a finished run, shared by the report and the goals check.
import type { DialectName, WorkloadId } from './contestant.js'
import type { Machine } from './environment.js'
import type { ContestantEntry } from './registry.js'
import type { Cell } from './stats.js'
import type { WorkloadSpec } from './workloads.js'

export interface WorkloadResult {
  spec: WorkloadSpec
  size: number
  rounds: number
  warmup: number
  /** By contestant name. */
  cells: Record<string, Cell>
}

export interface DialectResult {
  dialect: DialectName
  server?: string
  /** Why this dialect did not run (server unreachable, seeding failed). */
  skipped?: string
  workloads: WorkloadResult[]
}

export interface RunResult {
  started: Date
  seconds: number
  quick: boolean
  command: string
  machine: Machine
  loadAtStart: number
  loadAtEnd: number
  versions: Array<[string, string]>
  contestants: readonly ContestantEntry[]
  dialects: DialectResult[]
}

export function cellOf(d: DialectResult, workload: WorkloadId, contestant: string): Cell | undefined {
  return d.workloads.find((w) => w.spec.id === workload)?.cells[contestant]
}
