// The nine workloads of issue 8: their sizes (full and --quick), the inputs every contestant gets,
// the value a correct run returns, and how the database is reset and checked around a run.
import type { NewUserRow, WorkloadId } from './contestant.js'

export const USERS = 10_000
export const USERS_WITH_POSTS = 500
export const POSTS_PER_USER = 10
export const COMMENTS_PER_POST = 3
export const PAGE = 50
export const PER_PAGE = 20

export interface WorkloadSpec {
  id: WorkloadId
  /** The row label in the table, given the size. */
  title: (size: number) => string
  size: { full: number; quick: number }
  /** What one unit of `size` is, for rates (rows/s, finds/s, pages/s). */
  unit: string
  /** Rounds and warm-ups, when different from the run's defaults (the long stream). */
  rounds?: { full: number; quick: number; warmup: number }
  /** Warm-up rounds in quick mode, when different from the run's default. */
  quickWarmup?: number
  /** `new_users` is emptied (ids restarting at 1) before each run. */
  resetsNewUsers?: boolean
  /** The value a correct run returns, or null when the harness checks the database instead. */
  expected: (size: number) => number | null
}

export const user = {
  age: (id: number) => 18 + (id % 60),
  name: (id: number) => `User ${id}`,
  email: (id: number) => `user${id}@example.com`,
  active: (id: number) => id % 3 !== 0,
}

export const reading = { sensor: (id: number) => id % 100, value: (id: number) => id % 1000, label: (id: number) => `reading-${id}` }

const sumAges = (ids: Iterable<number>) => {
  let sum = 0
  for (const id of ids) sum += user.age(id)
  return sum
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

export const WORKLOADS: readonly WorkloadSpec[] = [
  {
    id: 'bulkInsert',
    title: (n) => `bulk insert ${n.toLocaleString('en')} rows`,
    size: { full: 10_000, quick: 10_000 },
    unit: 'rows',
    resetsNewUsers: true,
    expected: () => null,
  },
  {
    id: 'singleInserts',
    title: (n) => `${n.toLocaleString('en')} single inserts`,
    size: { full: 1_000, quick: 100 },
    unit: 'inserts',
    resetsNewUsers: true,
    expected: (n) => (n * (n + 1)) / 2,
  },
  {
    id: 'loadModels',
    title: (n) => `load ${n.toLocaleString('en')} rows as models`,
    size: { full: USERS, quick: USERS },
    unit: 'rows',
    expected: () => sumAges(range(USERS)),
  },
  {
    id: 'findByKey',
    title: (n) => `${n.toLocaleString('en')} finds by primary key`,
    size: { full: 5_000, quick: 300 },
    unit: 'finds',
    expected: (n) => sumAges(findIds(n)),
  },
  {
    id: 'eagerLoad',
    title: (n) => `eager load ${n} users × ${POSTS_PER_USER} posts × ${COMMENTS_PER_POST} comments`,
    size: { full: USERS_WITH_POSTS, quick: USERS_WITH_POSTS },
    unit: 'users',
    expected: (n) => n * POSTS_PER_USER * COMMENTS_PER_POST,
  },
  {
    id: 'paginate',
    title: (n) => `page ${PAGE} of ${PER_PAGE} with total, ×${n}`,
    size: { full: 200, quick: 20 },
    unit: 'pages',
    expected: (n) => n * (PER_PAGE + USERS),
  },
  {
    id: 'updates',
    title: (n) => `${n.toLocaleString('en')} load-change-save updates`,
    size: { full: 1_000, quick: 100 },
    unit: 'saves',
    expected: (n) => n,
  },
  {
    id: 'withCount',
    title: (n) => `withCount(posts) over ${n.toLocaleString('en')} users`,
    size: { full: USERS, quick: USERS },
    unit: 'users',
    expected: () => USERS + USERS_WITH_POSTS * POSTS_PER_USER,
  },
  {
    id: 'stream',
    title: (n) => `stream ${n.toLocaleString('en')} rows (peak heap)`,
    size: { full: 1_000_000, quick: 100_000 },
    unit: 'rows',
    rounds: { full: 5, quick: 2, warmup: 1 },
    quickWarmup: 0,
    expected: (n) => {
      let sum = 0
      for (let id = 1; id <= n; id++) sum += reading.value(id)
      return sum
    },
  },
]

/** The ids looked up by `findByKey`: spread over the table, each once (7919 is prime to 10,000). */
export function findIds(n: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i * 7919) % USERS) + 1)
}

/** The rows the insert workloads write. */
export function newUserRows(n: number): NewUserRow[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `New ${i + 1}`,
    email: `new${i + 1}@example.com`,
    age: 20 + (i % 50),
    active: i % 2 === 0,
  }))
}

/** The users `updates` loads and saves. */
export function updateIds(n: number): number[] {
  return range(n)
}

export function workload(id: string): WorkloadSpec | undefined {
  return WORKLOADS.find((w) => w.id === id)
}
