// The speed targets of issues 3, 4 and 8, checked against a run: met, missed, or not measured.
import type { DialectName, WorkloadId } from './contestant.js'
import { cellOf, type DialectResult } from './results.js'
import type { Cell } from './stats.js'

export type Verdict = 'met' | 'missed' | 'not measured'

export interface GoalCheck {
  verdict: Verdict
  detail: string
}

export interface Goal {
  text: string
  dialects: readonly DialectName[]
  check(d: DialectResult): GoalCheck
}

const QUARRY = 'quarry'
const PEERS = [['objection', 'Objection'], ['sequelize', 'Sequelize'], ['typeorm', 'TypeORM']] as const
const BOTH: readonly DialectName[] = ['sqlite', 'postgres']

const ratioText = (r: number) => `${r.toFixed(2)}× knex`
const notMeasured = (cell: Cell | undefined): GoalCheck => ({
  verdict: 'not measured',
  detail: cell?.status === 'error' ? `Quarry: error` : 'no result',
})

/** A goal on Quarry's median ratio to knex for one workload. */
function ratioGoal(text: string, workload: WorkloadId, limit: number, dialects = BOTH): Goal {
  return {
    text,
    dialects,
    check(d) {
      const cell = cellOf(d, workload, QUARRY)
      if (cell?.status !== 'ok' || !cell.ratio) return notMeasured(cell)
      return { verdict: cell.ratio.median <= limit ? 'met' : 'missed', detail: ratioText(cell.ratio.median) }
    },
  }
}

export const GOALS: readonly Goal[] = [
  {
    text: 'Quarry faster than Objection, Sequelize and TypeORM wherever they have an equivalent',
    dialects: BOTH,
    check(d) {
      const missed: string[] = []
      const unmeasured: string[] = []
      let compared = 0
      for (const w of d.workloads) {
        const quarry = w.cells[QUARRY]
        for (const [peer, label] of PEERS) {
          const other = w.cells[peer]
          if (other?.status !== 'ok' || !other.time) continue
          if (quarry?.status !== 'ok' || !quarry.time) {
            unmeasured.push(`${w.spec.id}`)
            continue
          }
          compared++
          if (quarry.time.median >= other.time.median) {
            missed.push(`${w.spec.id} vs ${label} (${(quarry.time.median / other.time.median).toFixed(2)}×)`)
          }
        }
      }
      const gaps = unmeasured.length ? `; no Quarry result for ${[...new Set(unmeasured)].join(', ')}` : ''
      if (missed.length) return { verdict: 'missed', detail: `slower on ${missed.join(', ')}${gaps}` }
      if (!compared) return { verdict: 'not measured', detail: gaps ? gaps.slice(2) : 'no result' }
      if (gaps) return { verdict: 'not measured', detail: `faster in all ${compared} comparisons made${gaps}` }
      return { verdict: 'met', detail: `faster in all ${compared} comparisons` }
    },
  },
  ratioGoal('Loading 10,000 models within 1.2× knex', 'loadModels', 1.2),
  ratioGoal('Eager loading within 1.2× hand-written knex', 'eagerLoad', 1.2),
  ratioGoal('Paginated reads at least knex’s pages/s', 'paginate', 1.0),
  ratioGoal('Finds by key at least 2× knex’s rate', 'findByKey', 0.5, ['sqlite']),
  ratioGoal('Finds by key at least knex’s rate', 'findByKey', 1.0, ['postgres']),
  ratioGoal('Bulk insert at least knex’s rows/s', 'bulkInsert', 1.0),
  {
    text: 'Bulk insert at least 200,000 rows/s',
    dialects: ['sqlite'],
    check(d) {
      const w = d.workloads.find((x) => x.spec.id === 'bulkInsert')
      const cell = w?.cells[QUARRY]
      if (!w || cell?.status !== 'ok' || !cell.time) return notMeasured(cell)
      const rate = (w.size / cell.time.median) * 1000
      return { verdict: rate >= 200_000 ? 'met' : 'missed', detail: `${Math.round(rate).toLocaleString('en')} rows/s` }
    },
  },
  {
    text: 'Streaming 1,000,000 rows with peak heap under 100 MB',
    dialects: BOTH,
    check(d) {
      const w = d.workloads.find((x) => x.spec.id === 'stream')
      const cell = w?.cells[QUARRY]
      if (!w || cell?.status !== 'ok' || cell.heapMb === undefined) return notMeasured(cell)
      const at = w.size === 1_000_000 ? '' : ` (at ${w.size.toLocaleString('en')} rows)`
      return { verdict: cell.heapMb < 100 ? 'met' : 'missed', detail: `${cell.heapMb.toFixed(0)} MB${at}` }
    },
  },
]
