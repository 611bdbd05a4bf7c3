import { ConstraintViolationError, QuarryError } from '../errors/index.js'
import type { Model } from '../model/model.js'
import { ModelAdapter } from '../model/model-adapter.js'
import type { StudioModel } from './catalog.js'
import { findRow, StudioRequestError } from './rows.js'
import { FieldInputError, inputFor, keyOf, rowFor } from './values.js'

/** A write the model refused: the message, and per field (property) what was wrong. */
export class StudioWriteError extends QuarryError {
  override readonly code = 'E_STUDIO_WRITE'

  constructor(message: string, readonly fields: Record<string, string>, readonly errorCode: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** Creates a row through the model (casts, events and observers run), in a transaction. */
export async function createRow(model: StudioModel, values: unknown): Promise<Record<string, unknown>> {
  const input = readValues(model, values, true)
  return write(model, async () => {
    const instance = new (model.model as unknown as new () => Model)()
    assign(instance, input)
    await instance.save()
    return instance
  })
}

/** Changes a row through the model, in a transaction. */
export async function updateRow(model: StudioModel, key: string, values: unknown): Promise<Record<string, unknown>> {
  const input = readValues(model, values, false)
  return write(model, async () => {
    const instance = await findRow(model, key)
    assign(instance, input)
    await instance.save()
    return instance
  })
}

/** Deletes a row through the model (soft delete when the model has one), in a transaction. */
export async function deleteRow(model: StudioModel, key: string): Promise<void> {
  await write(model, async () => {
    const instance = await findRow(model, key)
    await instance.delete()
    return instance
  })
}

async function write(model: StudioModel, fn: () => Promise<Model>): Promise<Record<string, unknown>> {
  const connection = ModelAdapter.connection(model.meta)
  try {
    // A failing observer or a second statement rolls back the first: nothing half-written.
    const instance = await connection.transaction(fn)
    return { row: rowFor(model, instance), key: keyOf(model, instance) }
  } catch (error) {
    if (error instanceof StudioRequestError || !(error instanceof QuarryError)) throw error
    if (error.code === 'E_STUDIO_NOT_FOUND') throw error
    throw new StudioWriteError(error.message, fieldsOf(model, error), error.code, { cause: error })
  }
}

function fieldsOf(model: StudioModel, error: QuarryError): Record<string, string> {
  const fields: Record<string, string> = {}
  const named = error instanceof ConstraintViolationError ? error.columns ?? [] : []
  for (const name of named) {
    const column = model.columns.find((c) => c.column === name || c.property === name)
    if (column) fields[column.property] = error.message
  }
  const own = (error as { fields?: unknown }).fields
  if (own && typeof own === 'object') {
    for (const [name, message] of Object.entries(own as Record<string, unknown>)) {
      const column = model.columns.find((c) => c.column === name || c.property === name)
      fields[column?.property ?? name] = String(message)
    }
  }
  return fields
}

function readValues(model: StudioModel, values: unknown, creating: boolean): Map<string, unknown> {
  if (!values || typeof values !== 'object' || Array.isArray(values)) throw new StudioRequestError('expected a JSON body { "values": { "property": value, ... } }')
  const out = new Map<string, unknown>()
  const fields: Record<string, string> = {}
  for (const [property, value] of Object.entries(values as Record<string, unknown>)) {
    const column = model.columns.find((c) => c.property === property)
    if (!column) {
      fields[property] = `${model.name} has no column ${property}`
      continue
    }
    if (column.primary && !creating) {
      fields[property] = 'the primary key cannot be changed here'
      continue
    }
    try {
      out.set(property, inputFor(column, value))
    } catch (error) {
      if (!(error instanceof FieldInputError)) throw error
      fields[property] = error.message
    }
  }
  if (Object.keys(fields).length) {
    throw new StudioWriteError(`Some values cannot be written to ${model.name}: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ')}`, fields, 'E_STUDIO_INPUT')
  }
  return out
}

function assign(instance: Model, values: Map<string, unknown>): void {
  // Property by property, as code would: the model's setters and casts run; mass-assignment
  // rules are for request bodies of the app, not for the developer's own tool.
  const target = instance as unknown as Record<string, unknown>
  for (const [property, value] of values) target[property] = value
}
