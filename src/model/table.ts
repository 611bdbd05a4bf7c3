import { QuarryError } from '../errors/index.js'
import { declareTable, metadataOf } from './model-metadata.js'
import type { ColumnNaming } from './naming.js'

export interface TableOptions {
  /** The named connection (of the default database) this model uses. */
  connection?: string
  /** How properties map to column names: `'snake_case'` (default), `'preserve'`, or a function. */
  naming?: ColumnNaming
}

/**
 * Binds a model to its table: `@table('users')`; without a name the table is the snake_case
 * plural of the class name (`Person` → `people`). `@table('events', { connection: 'analytics' })`
 * puts the model on another connection.
 */
export function table(name?: string | TableOptions, options: TableOptions = {}) {
  if (typeof name === 'object' && name !== null) {
    options = name
    name = undefined
  }
  if (name !== undefined && (typeof name !== 'string' || !name.trim())) {
    throw new QuarryError('@table(name) must be a non-empty string')
  }
  if (options.connection !== undefined && (typeof options.connection !== 'string' || !options.connection)) {
    throw new QuarryError('@table(…, { connection }) must name a connection')
  }
  const { connection, naming } = options
  return <C extends abstract new (...args: never[]) => object>(target: C): C => {
    const meta = metadataOf(target)
    if (meta.isFinalized) throw new QuarryError(`@table on ${meta.name} came after the model was first used`)
    if (name !== undefined) {
      meta.settings.table = name
      declareTable(name, meta)
    }
    if (connection !== undefined) meta.settings.connection = connection
    if (naming !== undefined) meta.settings.naming = naming
    return target
  }
}
