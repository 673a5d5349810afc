import { Redis, type RedisOptions } from 'ioredis'

/** Where Redis is: a URL from the config, or the private server's unix socket. */
export type RedisTarget = { url: string } | { socketPath: string }

export function describeTarget(target: RedisTarget): string {
  return 'url' in target ? target.url.replace(/\/\/[^@/]*@/, '//…@') : `unix:${target.socketPath}`
}

/**
 * BullMQ workers need `maxRetriesPerRequest: null` (they block); everything else should fail
 * fast when Redis is gone rather than queue commands forever.
 */
export function connectRedis(target: RedisTarget, purpose: 'worker' | 'client' = 'client'): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: purpose === 'worker' ? null : 3,
    lazyConnect: false,
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
