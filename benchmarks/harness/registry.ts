// The contestants, in the order of the table's columns, with the packages whose versions the
// report lists for each.

export interface ContestantEntry {
  name: string
  /** The column heading. */
  label: string
  /** The module, relative to this folder; its default export is an `OpenContestant`. */
  module: URL
  /** Packages whose versions the report names for this contestant. */
  packages: readonly string[]
}

const here = (path: string) => new URL(path, import.meta.url)

export const CONTESTANTS: readonly ContestantEntry[] = [
  { name: 'raw', label: 'raw driver', module: here('../contestants/raw/index.ts'), packages: ['better-sqlite3', 'pg', 'pg-cursor', 'mysql2'] },
  { name: 'knex', label: 'knex', module: here('../contestants/knex.ts'), packages: ['knex', 'pg-query-stream'] },
  { name: 'quarry', label: 'Quarry', module: here('../contestants/quarry.ts'), packages: [] },
  { name: 'objection', label: 'Objection.js', module: here('../peers/objection.ts'), packages: ['objection'] },
  { name: 'sequelize', label: 'Sequelize', module: here('../peers/sequelize.ts'), packages: ['sequelize', 'sqlite3'] },
  { name: 'typeorm', label: 'TypeORM', module: here('../peers/typeorm/index.ts'), packages: ['typeorm'] },
]

/** Ratios are taken against this contestant. */
export const BASELINE = 'knex'
