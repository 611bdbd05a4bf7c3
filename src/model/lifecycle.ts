import type { Model } from './model.js'

/**
 * The steps of a model's life that events can wrap. `save` wraps `create` or `update`;
 * `forceDelete` wraps `delete`; `restore` wraps a `save`.
 */
export type LifecycleStep = 'save' | 'create' | 'update' | 'delete' | 'restore' | 'forceDelete'

/**
 * THE SEAM FOR EVENTS. Every write of a single model goes through `runStep`, and every batch of
 * models read goes through `retrieved`. An events bus installs itself with `setLifecycleHooks`
 * and, for each step, fires its `-ing` event before calling `action` (returning `false` to cancel:
 * nothing is written and `save()`/`delete()` resolve to `false`) and its `-ed` event after
 * `action` resolved `true`. Without hooks a step is just its action.
 */
export interface LifecycleHooks {
  run(step: LifecycleStep, model: Model, action: () => Promise<boolean>): Promise<boolean>
  /** Called once per batch of models loaded from the database (`retrieved` events). */
  retrieved?(models: readonly Model[]): void | Promise<void>
  /** Whether `retrieved` needs calling for this model class at all; lets hydration skip the work. */
  wantsRetrieved?(model: abstract new () => Model): boolean
}

const direct: LifecycleHooks = { run: (_step, _model, action) => action() }
let hooks: LifecycleHooks = direct

/** Installs the hooks that wrap every lifecycle step (the events module calls this once). */
export function setLifecycleHooks(next: LifecycleHooks | undefined): void {
  hooks = next ?? direct
}

/** Runs one step of `model`'s life through the installed hooks. */
export function runStep(step: LifecycleStep, model: Model, action: () => Promise<boolean>): Promise<boolean> {
  return hooks.run(step, model, action)
}

/** Reports models just loaded, when someone listens for them. */
export function retrieved(ctor: abstract new () => Model, models: readonly Model[]): void | Promise<void> {
  if (!hooks.retrieved || !models.length) return
  if (hooks.wantsRetrieved && !hooks.wantsRetrieved(ctor)) return
  return hooks.retrieved(models)
}
