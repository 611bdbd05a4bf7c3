import { QuarryError } from '../errors/index.js'
import type { Model } from './model.js'
import type { ModelMetadata } from './model-metadata.js'

/**
 * What `serialize()` keeps: properties to pick or omit; when `relations` is given, the loaded
 * relations that appear, each with its own options (without it, every loaded relation appears);
 * and whether a many-to-many row's `$pivot` appears as `pivot`.
 */
export interface SerializeOptions {
  fields?: readonly string[] | { pick?: readonly string[]; omit?: readonly string[] }
  relations?: Record<string, SerializeOptions>
  /** `pivot: true` in a relation's options shows its rows' `$pivot` (left out there by default). */
  pivot?: boolean
}

/**
 * A plain object for JSON: column properties by their serialised key (camelCase by default;
 * hidden ones left out, `serializeAs` renamed), then `$extras` (such as `postsCount`) at the top
 * level, then the loaded relations, nested: every one, or with `relations` only those it lists.
 * `$pivot` appears as `pivot` unless the model is serialised under a `relations` listing that
 * does not ask for it (`relations: { roles: { pivot: true } }`). Values stay as they are (`Date`s
 * included), so `JSON.stringify` gives ISO dates.
 */
export function serializeModel(model: Model, meta: ModelMetadata, options?: SerializeOptions, listed = false): Record<string, unknown> {
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
  const loaded = model.$relationsStore ?? {}
  const chosen = options?.relations
  if (chosen === undefined) {
    for (const name of Object.keys(loaded)) out[name] = serializeValue(loaded[name], undefined, false)
  } else {
    for (const name of relationNames(chosen, meta)) {
      if (Object.hasOwn(loaded, name)) out[name] = serializeValue(loaded[name], chosen[name], true)
    }
  }
  if (model.$pivot && (options?.pivot ?? !listed)) out.pivot = { ...model.$pivot }
  return out
}

function relationNames(chosen: Record<string, SerializeOptions>, meta: ModelMetadata): string[] {
  if (chosen === null || typeof chosen !== 'object' || Array.isArray(chosen)) {
    throw new QuarryError(`serialize(): relations must be an object such as { posts: { fields: ['id'] } }, got ${JSON.stringify(chosen)}`)
  }
  const names = Object.keys(chosen)
  for (const name of names) {
    if (!meta.relations.has(name)) {
      const known = [...meta.relations.keys()]
      throw new QuarryError(`serialize(): ${meta.name} has no relation "${name}"; ${known.length ? `its relations are: ${known.join(', ')}` : 'it declares none'}`)
    }
    const nested = chosen[name]
    if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) {
      throw new QuarryError(`serialize(): the options for relation "${name}" must be an object ({} for all its fields)`)
    }
  }
  return names
}

function serializeValue(value: unknown, options: SerializeOptions | undefined, listed: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => serializeValue(item, options, listed))
  if (value && typeof value === 'object' && typeof (value as Model).serialize === 'function') {
    const model = value as Model
    return serializeModel(model, model.$meta, options, listed)
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
