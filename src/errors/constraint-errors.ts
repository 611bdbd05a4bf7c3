import { QuarryError } from './quarry-error.js'

/** What the driver told about the violated constraint; each field only where it was told. */
export interface ConstraintDetails {
  table?: string
  columns?: string[]
  constraint?: string
}

/**
 * A database constraint refused a write. The subclasses are the same on every dialect; the
 * driver's own error is kept as `cause`.
 */
export abstract class ConstraintViolationError extends QuarryError {
  readonly table?: string
  readonly columns?: string[]
  readonly constraint?: string

  constructor(kind: string, details: ConstraintDetails, options?: { cause?: unknown }) {
    super(describe(kind, details), options)
    if (details.table !== undefined) this.table = details.table
    if (details.columns !== undefined) this.columns = details.columns
    if (details.constraint !== undefined) this.constraint = details.constraint
  }
}

function describe(kind: string, { table, columns, constraint }: ConstraintDetails): string {
  const where = [
    table && `table ${table}`,
    columns?.length && `column${columns.length > 1 ? 's' : ''} ${columns.join(', ')}`,
    constraint && `constraint ${constraint}`,
  ].filter(Boolean)
  return where.length ? `${kind} violation on ${where.join(', ')}` : `${kind} violation`
}

/** A row would duplicate a value that a unique index or primary key forbids. */
export class UniqueViolationError extends ConstraintViolationError {
  override readonly code = 'E_UNIQUE_VIOLATION'
  constructor(details: ConstraintDetails = {}, options?: { cause?: unknown }) {
    super('Unique constraint', details, options)
  }
}

/** A row refers to a parent that does not exist, or a parent still has children. */
export class ForeignKeyViolationError extends ConstraintViolationError {
  override readonly code = 'E_FOREIGN_KEY_VIOLATION'
  constructor(details: ConstraintDetails = {}, options?: { cause?: unknown }) {
    super('Foreign key constraint', details, options)
  }
}

/** A NOT NULL column was given no value. */
export class NotNullViolationError extends ConstraintViolationError {
  override readonly code = 'E_NOT_NULL_VIOLATION'
  constructor(details: ConstraintDetails = {}, options?: { cause?: unknown }) {
    super('Not-null constraint', details, options)
  }
}

/**
 * A SERIALIZABLE transaction lost a conflict (SQLSTATE 40001) or a deadlock was broken.
 * `db.transaction(fn, { retries })` re-runs the callback on this error.
 */
export class SerializationFailureError extends QuarryError {
  override readonly code = 'E_SERIALIZATION_FAILURE'
  constructor(message = 'The transaction could not be serialized; it may be retried', options?: { cause?: unknown }) {
    super(message, options)
  }
}
