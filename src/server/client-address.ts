import type { HttpRequest } from './http-server.js'

/**
 * The address a request came from, for per-address limits. X-Forwarded-For is believed only
 * when the peer is one of the configured reverse proxies (TRUSTED_PROXY): anyone else could
 * write any address there, and behind a proxy the peer is the proxy for everybody. The nearest
 * address the proxies did not add themselves is the client's.
 */
export function clientAddress(request: HttpRequest, trustedProxies: ReadonlySet<string>): string {
  const peer = normalizeAddress(request.remoteAddress ?? 'unknown')
  if (!trustedProxies.has(peer)) return peer
  const header = request.headers['x-forwarded-for']
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .slice(0, 1_000)
    .split(',')
    .map((part) => normalizeAddress(part.trim()))
    .filter(Boolean)
  for (let i = forwarded.length - 1; i >= 0; i--) {
    if (!trustedProxies.has(forwarded[i]!)) return forwarded[i]!
  }
  return forwarded[0] ?? peer
}

/** "::ffff:10.0.0.2" (an IPv4 peer on a dual-stack socket) is 10.0.0.2. */
export function normalizeAddress(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')
}
