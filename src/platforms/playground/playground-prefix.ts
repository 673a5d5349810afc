/** The playground keeps its data apart from a real deployment's, under this Redis prefix; the CLI's --playground reads it. */
export function playgroundRedisPrefix(redisPrefix: string): string {
  return `${redisPrefix}-playground`
}
