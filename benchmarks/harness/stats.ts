// Summaries of the measured rounds: median with min and max, and the ratio to the baseline taken
// round by round (a contestant's time over knex's time in the same round), so a machine that
// speeds up or slows down during the run affects both sides of each ratio alike.
import type { Outcome } from './orchestrator.js'

export interface Spread {
  median: number
  min: number
  max: number
}

export interface Cell {
  status: Outcome['status']
  message?: string | undefined
  time?: Spread
  /** Ratio to the baseline, per round; absent for the baseline itself or without a baseline. */
  ratio?: Spread
  /** Peak heap in MB over the measured rounds (stream only). */
  heapMb?: number
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! }
}

/** Summarises one contestant's outcome, paired with the baseline's outcome of the same workload. */
export function summarise(outcome: Outcome, baseline: Outcome | undefined, isBaseline: boolean): Cell {
  if (outcome.status !== 'ok' || outcome.times.length === 0) {
    return { status: outcome.status === 'ok' ? 'error' : outcome.status, message: outcome.message ?? 'no measured round' }
  }
  const cell: Cell = { status: 'ok', time: spread(outcome.times) }
  if (outcome.heapMb.length) cell.heapMb = Math.max(...outcome.heapMb)
  if (!isBaseline && baseline?.status === 'ok' && baseline.times.length === outcome.times.length) {
    cell.ratio = spread(outcome.times.map((t, i) => t / baseline.times[i]!))
  }
  return cell
}
