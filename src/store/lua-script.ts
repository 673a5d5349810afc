import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

/**
 * A Lua script run by its SHA1 (EVALSHA), so the hot path does not send the script's text with
 * every call; after a Redis restart or failover the server has forgotten it, and the first call
 * sends it again (EVAL), which also loads it.
 */
export class LuaScript {
  readonly sha: string

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex')
  }

  /** Makes sure the server has it, before a pipeline runs it by SHA (a pipeline cannot fall back). */
  async load(redis: Redis): Promise<void> {
    await redis.script('LOAD', this.source)
  }

  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (!(error as Error).message.includes('NOSCRIPT')) throw error
      return redis.eval(this.source, keys.length, ...keys, ...args)
    }
  }
}
