import { QuarryError } from '../errors/index.js'
import type { PageMeta } from '../query/paginators.js'
import { currentRequest } from './request-context.js'
import type { PageLinkOptions, PageLinks } from './resource-types.js'

// Only the path and query of a URL are kept; this origin parses relative ones and is dropped.
const PLACEHOLDER = 'http://quarry.invalid'

/**
 * The links of a page: the current URL (given, or the request being served) with its page
 * parameter set to the first, last, previous and next pages. Other query parameters are kept.
 * Links are the path and query unless a `baseUrl` is known; neither the request's Host header
 * nor a host in its request line is used, so a client cannot make the links point elsewhere.
 */
export function pageLinks(meta: PageMeta, options: PageLinkOptions = {}): PageLinks {
  const to = linkTo(options, options.pageParam ?? 'page')
  return {
    first: to(meta.firstPage),
    last: to(meta.lastPage),
    prev: meta.currentPage > meta.firstPage ? to(Math.min(meta.currentPage - 1, meta.lastPage)) : null,
    next: meta.currentPage < meta.lastPage ? to(meta.currentPage + 1) : null,
  }
}

/** The links of a `cursorPaginate()` slice: the current URL with its cursor parameter set. */
export function cursorLinks(
  slice: { nextCursor: string | null; prevCursor: string | null },
  options: PageLinkOptions = {},
): { next: string | null; prev: string | null } {
  const to = linkTo(options, options.cursorParam ?? 'cursor')
  return {
    next: slice.nextCursor === null ? null : to(slice.nextCursor),
    prev: slice.prevCursor === null ? null : to(slice.prevCursor),
  }
}

/** A function from a parameter value to the current URL with `param` set to it. */
function linkTo(options: PageLinkOptions, param: string): (value: string | number) => string {
  const request = currentRequest()
  const known = options.url ?? request?.url
  const url = parse(known ?? '/')
  // Only a URL given by the code keeps its origin: a request line may name any host
  // (`GET http://elsewhere/posts`), and links must not follow it there.
  const absolute = options.url !== undefined && /^[a-z][a-z\d+.-]*:\/\//i.test(options.url)
  const base = (options.baseUrl ?? request?.baseUrl ?? (absolute ? url.origin : '')).replace(/\/+$/, '')
  // Without a URL or a base, the links are query strings alone, relative to wherever they are read.
  const path = known === undefined && !base ? '' : url.pathname
  return (value) => {
    url.searchParams.set(param, String(value))
    return `${base}${path}${url.search}`
  }
}

function parse(url: string): URL {
  try {
    return new URL(url, PLACEHOLDER)
  } catch {
    throw new QuarryError(`paginated(): "${url}" is not a URL or a path; pass the request's path and query as { url }`)
  }
}
