import type { Model } from '../model/model.js'
import type { StudioColumn, StudioModel } from './catalog.js'

/** What the page shows for a masked value: never the value itself. */
export const MASK = '••••••'

/** A row for the page: each column by property, masked ones replaced, values made JSON-safe. */
export function rowFor(model: StudioModel, instance: Model): Record<string, unknown> {
  const attributes = instance as unknown as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const column of model.columns) {
    out[column.property] = column.masked ? (attributes[column.property] == null ? null : MASK) : plain(attributes[column.property])
  }
  return out
}

/** The primary key of a row, for links; null when the model has none or a composite one. */
export function keyOf(model: StudioModel, instance: Model): unknown {
  const [key, more] = model.meta.primaryKey
  if (!key || more) return null
  return plain((instance as unknown as Record<string, unknown>)[key.property])
}

function plain(value: unknown): unknown {
  if (value === undefined) return null
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (typeof value === 'bigint') return value.toString()
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `(${value.length} bytes)`
  return value
}

/**
 * A value the page sent for `column`, converted to what the model takes: numbers, booleans,
 * dates from ISO text, JSON as sent. Throws a message (for that field) when it cannot be read.
 */
export function inputFor(column: StudioColumn, value: unknown): unknown {
  if (value === null) return null
  switch (column.kind) {
    case 'number': {
      if (typeof value === 'number') return value
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
      throw new FieldInputError(`expected a number, got ${JSON.stringify(value)}`)
    }
    case 'boolean':
      if (typeof value === 'boolean') return value
      if (value === 'true' || value === 'false') return value === 'true'
      throw new FieldInputError(`expected true or false, got ${JSON.stringify(value)}`)
    case 'date':
    case 'dateTime': {
      const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined
      if (!date || Number.isNaN(date.getTime())) throw new FieldInputError(`expected a date (ISO 8601, e.g. 2026-01-31T12:00:00Z), got ${JSON.stringify(value)}`)
      return date
    }
    case 'binary':
      throw new FieldInputError('binary columns cannot be edited in the studio')
    default:
      return value
  }
}

/** A value the page sent that cannot be read as the column's kind. */
export class FieldInputError extends Error {}
