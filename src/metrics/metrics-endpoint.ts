import { createHash, timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { Queue } from 'bullmq'
import type { Config } from '../config.js'
import { ConfigError } from '../core/errors.js'
import type { Platform } from '../core/platform.js'
import { deliveryQueueName } from '../delivery/delivery-job.js'
import { HttpServer, type HttpResponse, type Route } from '../server/http-server.js'
import type { Keys } from '../store/redis.js'
import type { BotMetrics } from './bot-metrics.js'
import { registerStoreGauges, type StoreGaugeSources } from './store-gauges.js'

export const metricsPath = '/metrics'

export interface MetricsEndpointDeps extends Omit<StoreGaugeSources, 'queues'> {
  settings: NonNullable<Config['metrics']>
  metrics: BotMetrics
  keys: Keys
  /** Whose delivery queues (delivery-<platform>) show their depth and waiting age… */
  platforms: Platform[]
  /** …and which other BullMQ queues too (tip-sla). */
  otherQueues: string[]
}

export interface MetricsEndpoint {
  /** For the bot's own HTTP server: GET /metrics behind the token, or nothing when it has its own address. */
  readonly routes: Route[]
  /** Listens on METRICS_BIND when set; the address it got (port 0 picks one). */
  start(): Promise<AddressInfo | undefined>
  close(): Promise<void>
}

/**
 * GET /metrics in Prometheus's text format. With METRICS_BIND it is served only on that address
 * (a private interface the scraper reaches and the internet does not); otherwise on the bot's
 * HTTP port. Either way, with METRICS_TOKEN set a scrape must send `Authorization: Bearer <token>`.
 */
export function createMetricsEndpoint(deps: MetricsEndpointDeps): MetricsEndpoint {
  // Read-only handles on the queues, sharing the app's connection.
  const queueNames = [...deps.platforms.map(deliveryQueueName), ...deps.otherQueues]
  const queues = queueNames.map((name) => new Queue(name, { connection: deps.redis, prefix: deps.keys.bullPrefix }))
  // The shared connection's errors (Redis restarting, a failover) reach every Queue on it; a scrape's failure is logged by the gauges.
  for (const queue of queues) queue.on('error', () => undefined)
  registerStoreGauges(deps.metrics.registry, { ...deps, queues })
  const route = metricsRoute(deps.metrics, deps.settings.token)
  const bind = deps.settings.bind
  const ownServer = bind ? new HttpServer(deps.logger).add(route) : undefined

  return {
    routes: ownServer ? [] : [route],
    async start() {
      if (!ownServer || !bind) return undefined
      if (!deps.settings.token && ['0.0.0.0', '::'].includes(bind.host)) {
        deps.logger.warn({ bind: `${bind.host}:${bind.port}` }, 'metrics listen on every interface without METRICS_TOKEN: make sure only the scraper reaches this port')
      }
      try {
        return await ownServer.listen(bind.host, bind.port)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        const why = code === 'EADDRINUSE' ? 'is in use (each process on a host needs its own port)' : code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `cannot be listened on (${code ?? (error as Error).message})`
        throw new ConfigError(`Configuration error: METRICS_BIND ${bind.host}:${bind.port} ${why}.`)
      }
    },
    async close() {
      await ownServer?.close()
      await Promise.all(queues.map((queue) => queue.close()))
    },
  }
}

function metricsRoute(metrics: BotMetrics, token: string | undefined): Route {
  const { registry } = metrics
  return {
    method: 'GET',
    path: metricsPath,
    handle: async (request): Promise<HttpResponse> => {
      if (token && !bearerMatches(request.headers.authorization, token)) {
        return { status: 401, body: 'a valid METRICS_TOKEN is needed: Authorization: Bearer <token>', headers: { 'www-authenticate': 'Bearer realm="metrics"' } }
      }
      return { status: 200, body: await registry.metrics(), headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } }
    },
  }
}

/** Compared as digests, so neither the token's length nor its characters leak through timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1]
  if (!given) return false
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(token))
}
