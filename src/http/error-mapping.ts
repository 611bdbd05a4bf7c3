import { QuarryError } from '../errors/index.js'
import { type Model, modelMetadata } from '../model/model.js'
import { type ModelMetadata, metadataForTable } from '../model/model-metadata.js'

/** The JSON body of an error answer. It never carries SQL, bound values or a stack trace. */
export interface HttpErrorBody {
  statusCode: number
  /** The status's reason phrase (`'Not Found'`). */
  error: string
  /** The Quarry error's stable code (`'E_MODEL_NOT_FOUND'`). */
  code: string
  message: string
  /** The fields at fault, by their JSON names (a unique violation's columns, unfillable keys). */
  fields?: string[]
}

/** An HTTP answer for an error: its status and JSON body. */
export interface HttpErrorAnswer {
  status: number
  body: HttpErrorBody
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error' }

interface ErrorFields {
  model?: string
  table?: string
  columns?: string[]
  constraint?: string
  keys?: string[]
  column?: string
}

/**
 * Each answer is built from the error's `code` and structured fields, never from its message
 * (messages may quote SQL, a key or a value). Codes not listed are answered 500.
 */
const ANSWERS: Record<string, (error: ErrorFields) => { status: number; message: string; fields?: string[] }> = {
  E_MODEL_NOT_FOUND: (e) => ({ status: 404, message: `${e.model ?? 'Record'} not found` }),
  E_UNIQUE_VIOLATION: (e) => {
    // Every dialect names the table and columns (MariaDB's index names are resolved to them).
    const fields = jsonNames(e.table, e.columns)
    return {
      status: 409,
      message: fields.length ? `Already taken: ${fields.join(', ')}` : 'A record with the same unique value already exists',
      fields,
    }
  },
  E_MASS_ASSIGNMENT: (e) => ({
    status: 400,
    message: `Not allowed to be set: ${(e.keys ?? []).join(', ')}`,
    fields: [...(e.keys ?? [])],
  }),
  E_UNKNOWN_COLUMN: (e) => ({
    status: 400,
    message: `Unknown field: ${e.column ?? ''}`,
    fields: e.column === undefined ? [] : [e.column],
  }),
  E_INVALID_CURSOR: () => ({ status: 400, message: 'Invalid pagination cursor; start again without one' }),
}

/**
 * The HTTP answer for a Quarry error, or `undefined` for any other error (leave those to the
 * framework). The integrations use it; call it from an error handler of your own:
 *
 * ```ts
 * app.setErrorHandler((error, request, reply) => {
 *   const answer = httpErrorFor(error)
 *   if (answer) return reply.status(answer.status).send(answer.body)
 *   ...
 * })
 * ```
 *
 * `ModelNotFoundError` → 404; `UniqueViolationError` → 409 with the fields named;
 * `MassAssignmentError`, `UnknownColumnError` and `InvalidCursorError` → 400; every other
 * `QuarryError` → 500 with its code and a generic message.
 */
export function httpErrorFor(error: unknown): HttpErrorAnswer | undefined {
  if (!(error instanceof QuarryError)) return undefined
  const answer = ANSWERS[error.code]?.(error as ErrorFields) ?? { status: 500, message: 'The database could not complete the request' }
  const body: HttpErrorBody = { statusCode: answer.status, error: REASONS[answer.status]!, code: error.code, message: answer.message }
  if (answer.fields) body.fields = answer.fields
  return { status: answer.status, body }
}

/** Column names as the model serialises them (`email_address` → `emailAddress`) where a model is known. */
function jsonNames(table: string | undefined, columns: readonly string[] | undefined): string[] {
  if (!columns) return []
  const meta = table === undefined ? undefined : modelFor(table)
  return columns.map((name) => {
    const column = meta?.byColumn.get(name)
    return column ? (column.serializedKey ?? column.property) : name
  })
}

/** The finalised metadata of the model on `table`, if one is declared. */
function modelFor(table: string): ModelMetadata | undefined {
  const meta = metadataForTable(table)
  return meta && modelMetadata(meta.ctor as unknown as typeof Model)
}
