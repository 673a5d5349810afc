import type { SentinelTarget } from './redis.js'

const defaultSentinelPort = 26379
const masterName = /^[A-Za-z0-9._-]{1,64}$/

/** "10.0.0.1:26379,10.0.0.2,[::1]:26380" → hosts and ports (26379 when left out); undefined when any part is not one. */
export function parseSentinelHosts(list: string): SentinelTarget['sentinels'] | undefined {
  const hosts = list.split(',').map((part) => part.trim())
  const parsed = hosts.map((part) => {
    const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(part)
    const port = match?.[3] === undefined ? defaultSentinelPort : Number(match[3])
    return match && port > 0 && port <= 65535 ? { host: match[1] ?? match[2]!, port } : undefined
  })
  return parsed.every((host) => host !== undefined) && parsed.length > 0 ? parsed : undefined
}

/**
 * redis+sentinel://[user:password@]host1:26379,host2:26379/<master name>[/<db>]: the form
 * several Redis clients read. The user and password are the master's; the sentinels' own
 * password, when they have one, is REDIS_SENTINEL_PASSWORD.
 */
export function parseSentinelUrl(url: string): Omit<SentinelTarget, 'sentinelPassword'> | undefined {
  const match = /^redis\+sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/@?#]+)\/([^/?#]+)(?:\/(\d{1,2}))?\/?$/.exec(url)
  if (!match) return undefined
  const [, user, password, hosts, name, db] = match
  const sentinels = parseSentinelHosts(hosts!)
  if (!sentinels || !masterName.test(name!)) return undefined
  return {
    sentinels,
    name: name!,
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
    ...(db ? { db: Number(db) } : {}),
  }
}

export function isSentinelUrl(url: string): boolean {
  return url.startsWith('redis+sentinel:')
}
