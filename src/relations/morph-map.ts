import { QuarryError } from '../errors/index.js'
import { type Model, modelMetadata } from '../model/model.js'

/** A model class as relations see it. */
export type ModelClass = typeof Model

const byName = new Map<string, ModelClass>()
const byClass = new Map<ModelClass, string>()

/**
 * Records the names stored in `*_type` columns for model classes. Calls merge; one name mapped
 * to two classes (or one class under two names) is an error.
 *
 * ```ts
 * Model.morphMap({ post: Post, video: Video })
 * ```
 */
export function morphMap(map: Record<string, ModelClass>): void {
  if (map === null || typeof map !== 'object') throw new QuarryError('morphMap() expects an object of { name: ModelClass }')
  for (const [name, Class] of Object.entries(map)) {
    if (!name) throw new QuarryError('morphMap(): a type name cannot be empty')
    if (typeof Class !== 'function') throw new QuarryError(`morphMap(): "${name}" must map to a model class`)
    const taken = byName.get(name)
    if (taken && taken !== Class) {
      throw new QuarryError(`morphMap(): "${name}" is already mapped to ${taken.name}; it cannot also name ${Class.name}`)
    }
    const named = byClass.get(Class)
    if (named !== undefined && named !== name) {
      throw new QuarryError(`morphMap(): ${Class.name} is already mapped as "${named}"; it cannot also be "${name}"`)
    }
    byName.set(name, Class)
    byClass.set(Class, name)
  }
}

/** The type name stored for `Class`: its morph map entry, else its table name. */
export function morphName(Class: ModelClass): string {
  for (let ctor: unknown = Class; typeof ctor === 'function'; ctor = Object.getPrototypeOf(ctor)) {
    const name = byClass.get(ctor as ModelClass)
    if (name !== undefined) return name
  }
  return modelMetadata(Class).table
}

/** A model declared as the owner of a polymorphic relation: `@morphMany(() => Comment, 'commentable')` on Post. */
interface MorphTarget {
  readonly name: string
  readonly target: () => ModelClass
  readonly morphed: () => ModelClass
}

const targets: MorphTarget[] = []

/** Records that `target()` owns `morphed()` rows through the morph name `name` (the relation decorators call this). */
export function declareMorphTarget(name: string, target: () => ModelClass, morphed: () => ModelClass): void {
  targets.push({ name, target, morphed })
}

/** The classes declared as owners of `Class`'s `name` morph relation, and those given in `types`. */
export function morphCandidates(name: string, Class: ModelClass, types: readonly ModelClass[]): ModelClass[] {
  const out = new Set<ModelClass>(types)
  for (const entry of targets) {
    if (entry.name !== name) continue
    const morphed = entry.morphed()
    if (morphed === Class || Class.prototype instanceof morphed) out.add(entry.target())
  }
  return [...out]
}

/**
 * The class a stored type name stands for: the morph map's, else one of the classes declared for
 * this relation (by its morph map name or table). Never a guess: anything else is an error naming
 * the type and the fix.
 */
export function morphClass(type: unknown, label: string, candidates: () => readonly ModelClass[]): ModelClass {
  const name = String(type)
  const mapped = byName.get(name)
  if (mapped) return mapped
  for (const Class of candidates()) if (morphName(Class) === name) return Class
  throw new QuarryError(
    `${label}: no model is registered for the morph type "${name}"; ` +
      `map it with Model.morphMap({ '${name}': YourModel }) (or declare the inverse relation, e.g. @morphMany, on that model)`,
  )
}
