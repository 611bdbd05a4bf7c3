import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * The studio's guards: the access token (from the printed URL, then an HttpOnly SameSite=Strict
 * cookie), the Host check against DNS rebinding, and the CSRF token writes must send back.
 */
export class StudioGuard {
  readonly token = randomBytes(24).toString('base64url')
  readonly csrf = randomBytes(24).toString('base64url')
  readonly cookieName: string
  private readonly hosts: Set<string>

  constructor(host: string, port: number) {
    this.cookieName = `quarry_studio_${port}`
    const bare = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
    this.hosts = new Set([`${bare}:${port}`.toLowerCase()])
    // The loopback names one another: a browser opened on localhost reaches 127.0.0.1 too.
    if (host === '127.0.0.1' || host === 'localhost' || host === '::1') {
      for (const name of ['127.0.0.1', 'localhost', '[::1]']) this.hosts.add(`${name}:${port}`)
    }
  }

  /** Whether the Host header names the address the server is bound to. */
  hostAllowed(request: IncomingMessage): boolean {
    const host = request.headers.host
    return typeof host === 'string' && this.hosts.has(host.toLowerCase())
  }

  /** Whether the request carries the token in its cookie. */
  hasCookie(request: IncomingMessage): boolean {
    const header = request.headers.cookie
    if (!header) return false
    for (const part of header.split(';')) {
      const at = part.indexOf('=')
      if (at > 0 && part.slice(0, at).trim() === this.cookieName && same(part.slice(at + 1).trim(), this.token)) return true
    }
    return false
  }

  /** Whether `candidate` (the URL's `?token=`) is the token. */
  tokenMatches(candidate: string | null): boolean {
    return candidate !== null && same(candidate, this.token)
  }

  /** Whether a write carries the CSRF token in its `x-quarry-csrf` header. */
  csrfMatches(request: IncomingMessage): boolean {
    const header = request.headers['x-quarry-csrf']
    return typeof header === 'string' && same(header, this.csrf)
  }

  /** The Set-Cookie header that keeps the token for this session. */
  cookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
