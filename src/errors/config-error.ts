import { QuarryError } from './quarry-error.js'

/**
 * A configuration that cannot work, found before any connection is opened. `field` is the path
 * of the offending option (`connections.main.write.url`); the message says what is allowed.
 */
export class ConfigError extends QuarryError {
  override readonly code = 'E_CONFIG'

  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`)
  }
}
