import type { Redis } from 'ioredis'
import type { Config } from './config.js'
import type { Directory } from './directory/directory.js'
import type { Keys } from './store/redis.js'

/** What a CLI command gets: the config, one Redis connection, the directory, and where to print. */
export interface CliContext {
  config: Config
  redis: Redis
  keys: Keys
  directory: Directory
  print(line: string): void
}

/** Returns the exit code: 0 done, 1 bad input or nothing done, 2 done with something to look at. */
export type CliCommand = (args: string[], ctx: CliContext) => Promise<number>
