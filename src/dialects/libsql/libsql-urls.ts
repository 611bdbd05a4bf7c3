/** How a libSQL URL may be written, for error messages. */
export const LIBSQL_URL_FORMS =
  'file:path, :memory:, libsql://host, http(s)://host or ws(s)://host (each also after "libsql:", as in libsql:file:app.db)'

/**
 * The URL @libsql/client takes, from any form a libSQL node may be given in: the client's own
 * (`file:/abs/app.db`, `:memory:`, `libsql://host`, `https://host`, `wss://host`) or Quarry's
 * `libsql:` prefix in front of one (`libsql:file:app.db`, `libsql::memory:`). Undefined when
 * `url` is neither.
 *
 * ```ts
 * libsqlClientUrl('libsql:file:data/edge.db') // 'file:data/edge.db'
 * libsqlClientUrl('https://db.example.com')   // 'https://db.example.com'
 * ```
 */
export function libsqlClientUrl(url: string): string | undefined {
  const own = url.startsWith('libsql:') && !url.startsWith('libsql://') ? url.slice('libsql:'.length) : url
  if (!/^(file:.|:memory:$|libsql:\/\/.|https?:\/\/.|wss?:\/\/.)/i.test(own)) return undefined
  if (/^[a-z]+:\/\//i.test(own)) {
    try {
      if (!new URL(own).host) return undefined
    } catch {
      return undefined
    }
  }
  return own
}

/** What errors and query events may show of a libSQL URL: the file, or the host (no token). */
export function libsqlLabel(clientUrl: string): string {
  return /^(file:|:memory:)/i.test(clientUrl) ? clientUrl : new URL(clientUrl).host
}
