import { QuarryError } from '../errors/index.js'
import type { Model } from './model.js'
import type { ModelMetadata } from './model-metadata.js'

/** What `serialize()` keeps: properties to pick or omit, and options per loaded relation. */
export interface SerializeOptions {
  fields?: readonly string[] | { pick?: readonly string[]; omit?: readonly string[] }
  relations?: Record<string, SerializeOptions>
}

/**
 * A plain object for JSON: column properties by their serialised key (camelCase by default;
 * hidden ones left out, `serializeAs` renamed), then `$extras` (such as `postsCount`) at the top
 * level, then every loaded relation, nested. Values stay as they are (`Date`s included), so
 * `JSON.stringify` gives ISO dates.
 */
export function serializeModel(model: Model, meta: ModelMetadata, options?: SerializeOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const attributes = model.$attributes
  const { pick, omit } = fieldFilter(options, meta)
  for (const column of meta.columns) {
    const key = column.serializedKey
    if (key === null) continue
    if (pick && !pick.has(column.property) && !pick.has(key)) continue
    if (omit && (omit.has(column.property) || omit.has(key))) continue
    const value = attributes[column.column]
    if (value !== undefined) out[key] = value
  }
  const extras = model.$extrasStore
  if (extras) for (const key in extras) out[key] = extras[key]
  const relations = model.$relationsStore ?? {}
  for (const name of Object.keys(relations)) {
    const nested = options?.relations?.[name]
    out[name] = serializeValue(relations[name], nested)
  }
  if (model.$pivot) out.pivot = { ...model.$pivot }
  return out
}

function serializeValue(value: unknown, options: SerializeOptions | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => serializeValue(item, options))
  if (value && typeof value === 'object' && typeof (value as Model).serialize === 'function') {
    return (value as Model).serialize(options)
  }
  return value ?? null
}

function fieldFilter(options: SerializeOptions | undefined, meta: ModelMetadata): { pick?: Set<string>; omit?: Set<string> } {
  const fields = options?.fields
  if (fields === undefined) return {}
  const list: { pick?: readonly string[]; omit?: readonly string[] } = Array.isArray(fields)
    ? { pick: fields as readonly string[] }
    : (fields as { pick?: readonly string[]; omit?: readonly string[] })
  for (const name of [...(list.pick ?? []), ...(list.omit ?? [])]) {
    if (!meta.lookup.has(name) && !meta.columns.some((c) => c.serializedKey === name)) {
      throw new QuarryError(`serialize(): ${meta.name} has no field "${name}"`)
    }
  }
  const out: { pick?: Set<string>; omit?: Set<string> } = {}
  if (list.pick) out.pick = new Set(list.pick)
  if (list.omit) out.omit = new Set(list.omit)
  return out
}
