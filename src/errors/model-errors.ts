import { QuarryError } from './quarry-error.js'

/** `findOrFail` / `firstOrFail` found nothing. Carries the model name and the key asked for. */
export class ModelNotFoundError extends QuarryError {
  override readonly code = 'E_MODEL_NOT_FOUND'

  constructor(
    readonly model: string,
    readonly ids?: unknown,
  ) {
    super(
      ids === undefined
        ? `No ${model} matched the query`
        : `No ${model} found for key ${JSON.stringify(ids)}`,
    )
  }
}

/** `fill()` / `create()` was given a key the model guards, or one outside `fillable`. */
export class MassAssignmentError extends QuarryError {
  override readonly code = 'E_MASS_ASSIGNMENT'

  constructor(
    readonly model: string,
    readonly keys: string[],
  ) {
    super(
      `${model}: ${keys.map((k) => `"${k}"`).join(', ')} cannot be mass-assigned; ` +
        `add ${keys.length > 1 ? 'them' : 'it'} to ${model}.fillable or assign the property directly`,
    )
  }
}

/** Saving a copy of a row that someone else updated since it was read (`@column.version()`). */
export class StaleModelError extends QuarryError {
  override readonly code = 'E_STALE_MODEL'

  constructor(
    readonly model: string,
    readonly ids: unknown,
    readonly version: number,
  ) {
    super(
      `${model} ${JSON.stringify(ids)} was changed by someone else since version ${version} was read; ` +
        `refresh() it and apply the change again`,
    )
  }
}

/** A relation name that the model does not declare. */
export class RelationNotFoundError extends QuarryError {
  override readonly code = 'E_RELATION_NOT_FOUND'

  constructor(
    readonly model: string,
    readonly relation: string,
    readonly available: string[],
  ) {
    super(
      `${model} has no relation "${relation}"; ` +
        (available.length ? `its relations are: ${available.join(', ')}` : 'it declares no relations'),
    )
  }
}

/** A relation was read before it was loaded. Quarry never runs a hidden query for it. */
export class RelationNotLoadedError extends QuarryError {
  override readonly code = 'E_RELATION_NOT_LOADED'

  constructor(
    readonly model: string,
    readonly relation: string,
  ) {
    super(
      `${model}.${relation} is not loaded; load it with .with('${relation}') on the query ` +
        `or await model.load('${relation}')`,
    )
  }
}
