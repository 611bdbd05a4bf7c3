import type { ServerResponse } from 'node:http'
import type { Database } from '../connection/database.js'
import { setDefaultDatabase } from '../connection/default-database.js'
import { runInScope } from '../connection/context.js'
import { runWithRequest } from './request-context.js'

/**
 * What both integrations share: the requests in flight, each run in a unit of work of its own
 * (`db.scope`: sticky reads per request) that knows the request's URL, and a shutdown that
 * waits for them before closing the pools.
 */
export class RequestTracker {
  private inFlight = 0
  private drained: (() => void) | undefined
  private closing: Promise<void> | undefined

  constructor(
    readonly db: Database,
    private readonly baseUrl: string | undefined,
  ) {
    // The app's database is the one its models use, even if a script connected another first.
    setDefaultDatabase(db, true)
  }

  /**
   * Runs `fn` (the rest of the request's handling) in a fresh unit of work, and counts the
   * request as in flight until its response is finished or its connection is gone.
   */
  serve<T>(url: string, response: ServerResponse, fn: () => T): T {
    this.inFlight++
    let done = false
    response.once('close', () => {
      if (done) return
      done = true
      if (--this.inFlight === 0) this.drained?.()
    })
    return runInScope(() => runWithRequest({ url, baseUrl: this.baseUrl }, fn))
  }

  /**
   * Waits for the requests in flight to finish, then closes the pools (a statement still running
   * there, such as a transaction's last one after its response was sent, finishes first).
   * Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve))
      await this.db.close()
    })()
    return this.closing
  }
}
