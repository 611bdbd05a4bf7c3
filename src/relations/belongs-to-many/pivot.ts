import { QuarryError } from '../../errors/index.js'
import { toDate } from '../../model/casts.js'
import type { Model } from '../../model/model.js'
import { snakeCase } from '../../model/naming.js'
import type { Row } from '../../query/query-target.js'

/** One pivot column: the property `$pivot` shows it under, the column, the alias it is selected as. */
interface PivotColumn {
  readonly property: string
  readonly column: string
  readonly alias: string
  readonly date: boolean
}

/** `granted_by` → `grantedBy`. */
export function camelCase(column: string): string {
  return column.replace(/_([a-z\d])/g, (_, c: string) => c.toUpperCase())
}

const ALIAS_PREFIX = 'quarry_pivot_'

/**
 * The pivot table of a many-to-many relation: its keys (and morph type), the extra columns read
 * into `$pivot` (by camelCase property) and maintained timestamps.
 */
export class Pivot {
  readonly columns: readonly PivotColumn[]
  /** Property or column → column, for the values `attach`/`updatePivot` take. */
  private readonly writable = new Map<string, string>()

  constructor(
    readonly label: string,
    readonly table: string,
    /** The pivot column holding the parent's key. */
    readonly foreignKey: string,
    /** The pivot column holding the related model's key. */
    readonly relatedKey: string,
    extra: readonly string[],
    readonly timestamps: { readonly createdAt: string; readonly updatedAt: string } | undefined,
    /** Polymorphic pivots: the type column and the name it must hold. */
    readonly type: { readonly column: string; readonly value: () => string } | undefined,
  ) {
    const columns: PivotColumn[] = []
    const add = (column: string, date = false) => {
      if (columns.some((c) => c.column === column)) return
      columns.push({ property: camelCase(column), column, alias: `${ALIAS_PREFIX}${column}`, date })
    }
    add(foreignKey)
    add(relatedKey)
    if (type) add(type.column)
    for (const name of extra) {
      if (typeof name !== 'string' || !name) throw new QuarryError(`${label}: pivotColumns must be property names, got ${JSON.stringify(name)}`)
      const column = snakeCase(name)
      add(column)
      this.writable.set(name, column)
      this.writable.set(column, column)
      this.writable.set(camelCase(column), column)
    }
    if (timestamps) {
      add(timestamps.createdAt, true)
      add(timestamps.updatedAt, true)
    }
    this.columns = columns
  }

  /** The property `$pivot` holds the parent's key under (`userId`). */
  get foreignProperty(): string {
    return camelCase(this.foreignKey)
  }

  get relatedProperty(): string {
    return camelCase(this.relatedKey)
  }

  /** `{ alias: 'pivot.column' }` select items, for the pivot table named `ref`. */
  selects(ref: string): Record<string, string> {
    const out: Record<string, string> = {}
    for (const column of this.columns) out[column.alias] = `${ref}.${column.column}`
    return out
  }

  /** Moves the selected pivot columns of each model from `$extras` to `$pivot`. */
  readInto(models: readonly Model[]): void {
    const columns = this.columns
    for (const model of models) {
      const extras = model.$extrasStore
      if (!extras) continue
      const pivot: Record<string, unknown> = {}
      for (const column of columns) {
        const value = extras[column.alias]
        pivot[column.property] = column.date && value !== null && value !== undefined ? toDate(value) : value
        delete extras[column.alias]
      }
      model.$pivot = pivot
      let empty = true
      for (const _ in extras) {
        empty = false
        break
      }
      if (empty) model.$extrasStore = undefined
    }
  }

  /** Pivot values given by property or column, as columns; an unknown name is an error naming the pivot columns. */
  values(given: unknown): Row {
    if (given === undefined || given === null) return {}
    if (typeof given !== 'object' || Array.isArray(given)) throw new QuarryError(`${this.label}: pivot values must be an object, got ${JSON.stringify(given)}`)
    const row: Row = {}
    for (const [name, value] of Object.entries(given)) {
      const column = this.writable.get(name)
      if (!column) {
        const known = [...new Set([...this.writable.keys()].map((k) => camelCase(k)))]
        throw new QuarryError(
          `${this.label}: "${name}" is not a pivot column; ` +
            (known.length ? `the pivot columns are: ${known.join(', ')}` : 'declare it with { pivotColumns: [...] }'),
        )
      }
      if (value !== undefined) row[column] = value
    }
    return row
  }

  /** The pivot row linking `parentKey` to `relatedKey`, with values and timestamps. */
  row(parentKey: unknown, relatedKey: unknown, values: Row, now: Date): Row {
    const row: Row = { [this.foreignKey]: parentKey, [this.relatedKey]: relatedKey, ...values }
    if (this.type) row[this.type.column] = this.type.value()
    if (this.timestamps) {
      row[this.timestamps.createdAt] ??= now
      row[this.timestamps.updatedAt] ??= now
    }
    return row
  }
}
