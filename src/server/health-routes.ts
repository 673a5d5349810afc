import type { Redis } from 'ioredis'
import { json, type Route } from './http-server.js'

export function healthRoutes(redis: Redis): Route[] {
  return [
    { method: 'GET', path: '/healthz', handle: async () => json(200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handle: async () => {
        const answer = await Promise.race([
          redis.ping().catch(() => 'down'),
          new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 1_000)),
        ])
        return answer === 'PONG' ? json(200, { status: 'ready', redis: 'ok' }) : json(503, { status: 'not ready', redis: answer })
      },
    },
  ]
}
