/**
 * The base of every error Quarry throws. `code` is stable across releases, so callers can
 * branch on it without matching messages:
 *
 * ```ts
 * try { await User.findOrFail(7) } catch (e) {
 *   if (e instanceof QuarryError && e.code === 'E_MODEL_NOT_FOUND') { ... }
 * }
 * ```
 */
export class QuarryError extends Error {
  readonly code: string = 'E_QUARRY'

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}
