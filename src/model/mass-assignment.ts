import { MassAssignmentError, QuarryError, UnknownColumnError } from '../errors/index.js'
import { suggestions } from './column-resolver.js'
import type { ModelMetadata } from './model-metadata.js'

/** The mass-assignment rules a model class declares. */
export interface MassAssignmentRules {
  fillable?: readonly string[]
  guarded?: readonly string[]
}

/**
 * Checks `attributes` before anything is assigned and returns `[property, value]` pairs. Every
 * key must be a column (property or column name) of the model, else `UnknownColumnError`. With
 * `rules`: when `fillable` is set, only those may be given; else nothing in `guarded` may
 * (`['*']` guards everything); else anything goes. Offending keys throw one
 * `MassAssignmentError` listing them all.
 */
export function assignments(
  meta: ModelMetadata,
  attributes: unknown,
  rules: MassAssignmentRules | undefined,
): Array<[string, unknown]> {
  if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw new QuarryError(`${meta.name}: expected an object of attributes, got ${Array.isArray(attributes) ? 'an array' : typeof attributes}`)
  }
  const pairs: Array<[string, unknown]> = []
  const refused: string[] = []
  for (const key of Object.keys(attributes)) {
    const column = meta.lookup.get(key)
    if (!column) throw new UnknownColumnError(meta.name, key, suggestions(meta, key))
    if (rules && !allowed(rules, column.property, column.column)) refused.push(key)
    pairs.push([column.property, (attributes as Record<string, unknown>)[key]])
  }
  if (refused.length) throw new MassAssignmentError(meta.name, refused)
  return pairs
}

function allowed(rules: MassAssignmentRules, property: string, column: string): boolean {
  const { fillable, guarded } = rules
  if (fillable && fillable.length) return fillable.includes(property) || fillable.includes(column)
  if (guarded && guarded.length) return !(guarded.includes('*') || guarded.includes(property) || guarded.includes(column))
  return true
}
