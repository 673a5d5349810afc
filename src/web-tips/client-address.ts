import type { HttpRequest } from '../server/http-server.js'

/**
 * The address the per-address limits count, held in memory only. Behind a reverse proxy on this
 * host or a private network every request comes from the proxy, so the proxy's last
 * X-Forwarded-For entry (the one it appended) stands for the client; from anywhere else the
 * header is the client's own word and is ignored.
 */
export function clientAddress(request: Pick<HttpRequest, 'headers' | 'remoteAddress'>): string {
  const peer = request.remoteAddress ?? ''
  const header = request.headers['x-forwarded-for']
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((part) => part.trim()).filter(Boolean)
  if (forwarded.length > 0 && isProxyAddress(peer)) return forwarded[forwarded.length - 1]!
  return peer
}

function isProxyAddress(address: string): boolean {
  const v4 = address.replace(/^::ffff:/, '')
  return (
    address === '::1' ||
    /^127\./.test(v4) ||
    /^10\./.test(v4) ||
    /^192\.168\./.test(v4) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(v4) ||
    /^f[cd][0-9a-f]{2}:/i.test(address)
  )
}
