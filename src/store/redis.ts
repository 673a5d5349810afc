import { Redis, type RedisOptions } from 'ioredis'

/** A Redis master found through Sentinel: the sentinels to ask, and the name they monitor it by. */
export interface SentinelTarget {
  sentinels: { host: string; port: number }[]
  name: string
  /** For the master and replicas (the URL's user and password). */
  username?: string
  password?: string
  /** For the sentinels themselves, when they require one. */
  sentinelPassword?: string
  db?: number
}

/** Where Redis is: a URL from the config, a Sentinel set, or the private server's unix socket. */
export type RedisTarget = { url: string } | { sentinel: SentinelTarget } | { socketPath: string }

export function describeTarget(target: RedisTarget): string {
  if ('sentinel' in target) return `sentinel:${target.sentinel.name}@${target.sentinel.sentinels.map(({ host, port }) => `${host}:${port}`).join(',')}`
  return 'url' in target ? target.url.replace(/\/\/[^@/]*@/, '//…@') : `unix:${target.socketPath}`
}

/**
 * A Sentinel failover takes a few seconds (down-after-milliseconds, then the election); client
 * commands wait through about 10 s of reconnecting to the new master instead of failing at once.
 */
const sentinelClientRetries = 20

/**
 * BullMQ workers need `maxRetriesPerRequest: null` (they block); everything else should fail
 * fast when Redis is gone rather than queue commands forever. Behind Sentinel every connection,
 * and the ones BullMQ duplicates from it, asks the sentinels for the master on each reconnect
 * (and checks the node it reaches is one). A master demoted while alive answers writes with
 * READONLY: that reconnects and resends the command. ioredis's failoverDetector is left off: its
 * +switch-master handler, still subscribed from the previous link, aborts a reconnect already
 * under way and leaves the connection closed for good.
 */
export function connectRedis(target: RedisTarget, purpose: 'worker' | 'client' = 'client'): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: purpose === 'worker' ? null : 'sentinel' in target ? sentinelClientRetries : 3,
    lazyConnect: false,
  }
  if ('sentinel' in target) {
    const { sentinels, name, username, password, sentinelPassword, db } = target.sentinel
    return new Redis({ ...options, sentinels, name, username, password, sentinelPassword, db, role: 'master', reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false) })
  }
  return 'url' in target ? new Redis(target.url, options) : new Redis({ ...options, path: target.socketPath })
}

/** Every key of this deployment starts with the prefix, so several bots or tests can share one Redis. */
export class Keys {
  constructor(readonly prefix: string) {}

  key(...parts: (string | number)[]): string {
    return [this.prefix, ...parts].join(':')
  }

  /** BullMQ adds `:<queue>:…` itself. */
  get bullPrefix(): string {
    return `${this.prefix}:bull`
  }
}
