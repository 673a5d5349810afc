import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'

export interface HttpRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: Buffer
  /** The peer's address (a proxy's, behind one). */
  remoteAddress?: string
}

export interface HttpResponse {
  status: number
  body: string | Buffer
  headers?: Record<string, string | string[]>
}

export interface Route {
  method: 'GET' | 'POST'
  /** Exact path, or a prefix ending in "/*". */
  path: string
  /** A larger body than the default 1 MB (a form with photos). */
  maxBodyBytes?: number
  /** The answer when the body is over the limit, for a page that must say why in its own words. */
  tooLarge?(): HttpResponse
  handle(request: HttpRequest): Promise<HttpResponse>
}

const maxBodyBytes = 1_000_000

/**
 * On every response: no content-type sniffing (a text body is never run as a script), no framing
 * by other sites, no referrer leaking an /admin address. Pages add their own CSP on top.
 */
export const baselineHeaders: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
}

export function json(status: number, value: unknown): HttpResponse {
  return { status, body: JSON.stringify(value), headers: { 'content-type': 'application/json; charset=utf-8' } }
}

/** A small HTTP server for webhooks, health checks and pages; bodies are kept raw for signature checks. */
export class HttpServer {
  private readonly server: Server
  private readonly routes: Route[] = []

  constructor(private readonly logger: Logger) {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const route = this.match(req.method ?? 'GET', url.pathname)
      const limit = route?.maxBodyBytes ?? maxBodyBytes
      const chunks: Buffer[] = []
      let size = 0
      let tooLarge = false
      req.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > limit) tooLarge = true
        else chunks.push(chunk)
      })
      req.on('end', () => {
        const respond = (response: HttpResponse) => {
          res.writeHead(response.status, { 'content-type': 'text/plain; charset=utf-8', ...baselineHeaders, ...response.headers })
          res.end(response.body)
        }
        if (tooLarge) return respond(route?.tooLarge?.() ?? { status: 413, body: `request body over ${limit} bytes` })
        if (!route) return respond({ status: 404, body: 'not found' })
        route
          .handle({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks), remoteAddress: req.socket.remoteAddress })
          .then(respond)
          .catch((error: Error) => {
            this.logger.error({ err: error.message, path: url.pathname }, 'http handler failed')
            respond({ status: 500, body: 'internal error' })
          })
      })
    })
  }

  add(route: Route): this {
    this.routes.push(route)
    return this
  }

  private match(method: string, path: string): Route | undefined {
    return this.routes.find(
      (route) => route.method === method && (route.path === path || (route.path.endsWith('/*') && path.startsWith(route.path.slice(0, -1)))),
    )
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => resolve(this.server.address() as AddressInfo))
    })
  }

  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve()
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}
