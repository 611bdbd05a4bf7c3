import { QuarryError } from '../errors/index.js'
import type { ColumnOptions, ColumnSchema, ColumnType } from './column-definition.js'

export const COLUMN_TYPES: readonly ColumnType[] = [
  'string', 'text', 'integer', 'bigInteger', 'float', 'double', 'decimal', 'boolean',
  'date', 'dateTime', 'time', 'json', 'uuid', 'binary', 'enum',
]

/**
 * The schema options of a column declaration, checked when the decorator is applied: a bad
 * `type`, `length`, `precision`, `scale` or `default` is a `QuarryError` naming the decorator.
 * Returns undefined when the declaration says nothing about the table.
 */
export function columnSchema(where: string, options: ColumnOptions | undefined, implied: ColumnType | undefined, nullable: boolean | undefined): ColumnSchema | undefined {
  const o = options ?? {}
  if (o.type !== undefined && !COLUMN_TYPES.includes(o.type)) {
    throw new QuarryError(`${where}: type must be one of ${COLUMN_TYPES.join(', ')}; got ${JSON.stringify(o.type)}`)
  }
  for (const key of ['length', 'precision', 'scale'] as const) {
    const value = o[key]
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new QuarryError(`${where}: ${key} must be a whole number of at least 0; got ${JSON.stringify(value)}`)
    }
  }
  for (const key of ['nullable', 'unique', 'index'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw new QuarryError(`${where}: ${key} must be true or false; got ${JSON.stringify(o[key])}`)
  }
  if (o.values !== undefined && (!Array.isArray(o.values) || o.values.some((v) => typeof v !== 'string'))) {
    throw new QuarryError(`${where}: values must be an array of strings (the allowed values of an enum)`)
  }
  const schema: ColumnSchema = {
    ...(implied !== undefined ? { implied } : {}),
    ...(nullable !== undefined ? { nullable } : {}),
  }
  for (const key of ['type', 'length', 'precision', 'scale', 'nullable', 'default', 'unique', 'index', 'values'] as const) {
    if (o[key] !== undefined) (schema as Record<string, unknown>)[key] = o[key]
  }
  return Object.keys(schema).length ? schema : undefined
}
