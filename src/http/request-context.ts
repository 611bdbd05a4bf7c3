import { AsyncLocalStorage } from 'node:async_hooks'

/** What a resource may want to know of the request being served (for page links). */
export interface RequestInfo {
  /** The request's path and query, as the client sent them (`/posts?page=2`). */
  readonly url: string
  /** The integration's `baseUrl` option, if given. */
  readonly baseUrl: string | undefined
}

const storage = new AsyncLocalStorage<RequestInfo>()

/** Runs `fn` (and everything it starts) as serving the request `info` describes. */
export function runWithRequest<T>(info: RequestInfo, fn: () => T): T {
  return storage.run(info, fn)
}

/** The request the current async context serves, when an integration set one. */
export function currentRequest(): RequestInfo | undefined {
  return storage.getStore()
}
