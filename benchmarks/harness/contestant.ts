// What every contestant module implements: one function per workload, each doing the whole
// workload once with the contestant's own idiomatic API and returning a check value the harness
// compares with the expected one, so a contestant that skipped work shows up as an error.

/** The dialects the suite runs on. */
export type DialectName = 'sqlite' | 'postgres' | 'mysql'

/** Where a contestant connects: the same database file or server database for all of them. */
export interface BenchTarget {
  dialect: DialectName
  /** A connection URL (`postgres://…`, `mysql://…`); for SQLite `sqlite:<absolute path>`. */
  url: string
  /** SQLite only: the database file's absolute path. */
  filename?: string
  /** The largest number of bound parameters one statement may carry on this database. */
  maxBindings: number
}

/** A row for the insert workloads (table `new_users`). */
export interface NewUserRow {
  name: string
  email: string
  age: number
  active: boolean
}

/**
 * The workloads. The tables: `users` (id, name, email, age, active; 10,000 rows), `posts`
 * (id, user_id, title; 10 for each of users 1–500), `comments` (id, post_id, body; 3 per post),
 * `new_users` (empty before each insert run) and `readings` (id, sensor, value, label).
 */
export interface Workloads {
  /** Insert all rows at once, the contestant's bulk way. Checked by counting the table. */
  bulkInsert(rows: readonly NewUserRow[]): Promise<unknown>
  /** Insert the rows one by one through the model, getting each new id back. Returns Σ ids. */
  singleInserts(rows: readonly NewUserRow[]): Promise<number>
  /** Load every user as a model (plain rows for raw and knex). Returns Σ age. */
  loadModels(): Promise<number>
  /** Find each id by primary key, one query each. Returns Σ age. */
  findByKey(ids: readonly number[]): Promise<number>
  /** Users with id ≤ maxUserId, their posts, and the posts' comments. Returns Σ comments reached. */
  eagerLoad(maxUserId: number): Promise<number>
  /** `times` × (page `page` of `perPage` users by id, with the total). Returns Σ (rows + total). */
  paginate(page: number, perPage: number, times: number): Promise<number>
  /** For each id: load the user, set its name to `${tag}:${id}`, save it. Returns the number saved. */
  updates(ids: readonly number[], tag: string): Promise<number>
  /** Every user with the number of their posts. Returns Σ (1 + postsCount). */
  withCount(): Promise<number>
  /** Every reading, ordered by id, streamed; `sink(value)` once per row. */
  stream(sink: (value: number) => void): Promise<unknown>
}

export type WorkloadId = keyof Workloads

/** An open contestant: the workloads it has, why it lacks the others, and how to let go. */
export interface Contestant {
  workloads: Partial<Workloads>
  /** For a workload left out: the reason shown under the table (e.g. "no streaming API"). */
  unsupported?: Partial<Record<WorkloadId, string>>
  close(): Promise<void>
}

/** A contestant module's default export. */
export type OpenContestant = (target: BenchTarget) => Promise<Contestant>
