import { request } from 'node:http'
import type { Studio } from '../../src/studio/index.js'

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: any
}

export interface CallOptions {
  body?: unknown
  cookie?: string | null
  /** The Host header; null sends none. */
  host?: string | null
  csrf?: string
}

/** One request to the studio over real HTTP, with full control of Host and Cookie. */
export function call(studio: Studio, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const origin = new URL(studio.origin)
  const headers: Record<string, string> = {}
  if (options.host !== null) headers.host = options.host ?? origin.host
  if (options.cookie) headers.cookie = options.cookie
  if (options.csrf) headers['x-quarry-csrf'] = options.csrf
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  if (payload !== undefined) headers['content-type'] = 'application/json'
  return new Promise((resolve, reject) => {
    const req = request({ host: origin.hostname, port: origin.port, method, path, headers, setHost: options.host !== null }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let body: unknown = text
        if ((res.headers['content-type'] ?? '').startsWith('application/json')) body = JSON.parse(text)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

/** Visits the printed URL and returns the cookie it sets, and the CSRF token of the session. */
export async function signIn(studio: Studio): Promise<{ cookie: string; csrf: string }> {
  const visit = await call(studio, 'GET', `/?token=${studio.token}`)
  const setCookie = visit.headers['set-cookie']
  const cookie = (Array.isArray(setCookie) ? setCookie[0]! : String(setCookie)).split(';')[0]!
  const session = await call(studio, 'GET', '/api/session', { cookie })
  return { cookie, csrf: (session.body as { csrf: string }).csrf }
}
