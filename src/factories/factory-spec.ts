import type { Model } from '../model/model.js'
import type { ModelMetadata } from '../model/model-metadata.js'
import type { ModelClass } from '../relations/morph-map.js'
import type { Relation } from '../relations/relation.js'
import type { FactoryDefinition, PivotInput, SequenceItem, StateDefinition } from './factory-types.js'

/** Attributes by property (or column), as the implementation handles them. */
export type Attrs = Record<string, unknown>

/** A callback of `afterMaking` / `afterCreating`. */
export type AfterCallback = (model: Model) => unknown

/** What the implementation needs of a factory it links to (the class, seen without its types). */
export interface LinkedFactory {
  readonly $spec: FactorySpec
}

/** A related factory or model(s) linked through one relation. */
export type Link =
  | { readonly method: 'has'; readonly relation: Relation; readonly factory: LinkedFactory }
  | { readonly method: 'for'; readonly relation: Relation; readonly owner: LinkedFactory | Model }
  | {
      readonly method: 'hasAttached'
      readonly relation: Relation
      readonly related: LinkedFactory | readonly Model[]
      readonly pivot: PivotInput<Model> | undefined
    }

/** Counts the models one definition built; `Factory.seed()` starts every count again. */
export class Counter {
  private static generation = 0
  private seenGeneration = Counter.generation
  private value = 0

  /** Makes every counter start again from 1 (for deterministic data). */
  static resetAll(): void {
    Counter.generation++
  }

  next(): number {
    if (this.seenGeneration !== Counter.generation) {
      this.seenGeneration = Counter.generation
      this.value = 0
    }
    return ++this.value
  }
}

/**
 * Everything a factory holds. Builder methods copy it with one field changed, so a factory is
 * never modified once made (`UserFactory.count(3)` leaves `UserFactory` as it was).
 */
export interface FactorySpec {
  readonly Model: ModelClass
  readonly meta: ModelMetadata
  readonly definition: FactoryDefinition<Model>
  readonly states: ReadonlyMap<string, StateDefinition<Model>>
  readonly applied: readonly string[]
  /** `undefined`: one model (`make()` gives a model, not an array). */
  readonly count: number | undefined
  readonly sequence: ReadonlyArray<SequenceItem<Model>>
  readonly links: readonly Link[]
  readonly afterMaking: readonly AfterCallback[]
  readonly afterCreating: readonly AfterCallback[]
  /** Shared by every factory derived from one `defineFactory`. */
  readonly counter: Counter
}
