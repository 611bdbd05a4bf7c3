export { QuarryError } from './quarry-error.js'
export { ConfigError } from './config-error.js'
export { ConnectionError } from './connection-error.js'
export { QueryTimeoutError } from './query-timeout-error.js'
export { QueryError, type QueryFailureKind } from './query-error.js'
export {
  ConstraintViolationError,
  UniqueViolationError,
  ForeignKeyViolationError,
  NotNullViolationError,
  SerializationFailureError,
  type ConstraintDetails,
} from './constraint-errors.js'
export {
  ModelNotFoundError,
  MassAssignmentError,
  StaleModelError,
  RelationNotFoundError,
  RelationNotLoadedError,
} from './model-errors.js'
export { UnknownColumnError, InvalidCursorError } from './query-errors.js'
export { MigrationError } from './migration-error.js'
