import { expect } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { ConfigError } from '../../src/core/errors.js'

/** The one sentence loadConfig stops with for `env`; fails the test if it accepts it. */
export function configErrorOf(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('expected a configuration error')
}
