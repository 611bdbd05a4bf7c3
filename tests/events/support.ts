// Helpers shared by the event tests: recording listeners that are all removed after each test.
import { afterEach } from 'vitest'
import { MODEL_EVENTS, type Model, type ModelEventName } from '../../src/index.js'

type Listenable = typeof Model

/**
 * A log of fired events and a way to listen that cleans up after each test (through the
 * unsubscribes `on()` and `observe()` return).
 */
export function eventLog() {
  const log: string[] = []
  const offs: Array<() => void> = []
  afterEach(() => {
    for (const off of offs.splice(0)) off()
    log.length = 0
  })
  return {
    log,
    /** Keeps an unsubscribe to run after the test. */
    keep(off: () => void): () => void {
      offs.push(off)
      return off
    },
    /** Logs `label:event` for each of `events` (all by default) on `Class`. */
    record(Class: Listenable, label = Class.name, events: readonly ModelEventName[] = MODEL_EVENTS): void {
      for (const event of events) offs.push(Class.on(event, () => void log.push(`${label}:${event}`)))
    },
    /** The log so far, emptied. */
    take(): string[] {
      return log.splice(0)
    },
  }
}
