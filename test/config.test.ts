import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { configErrorOf } from './support/config-error.js'

const token = '123456789:AAEabcdefghijklmnopqrstuvwxyz012345'
const key = 'ab'.repeat(32)

describe('loadConfig', () => {
  it('starts with defaults from an empty environment', () => {
    const config = loadConfig({})
    expect(config.telegram).toBeUndefined()
    expect(config.http.port).toBe(8080)
    expect(config.redisUrl).toBeUndefined()
    expect(config.tips.retentionDays).toBe(90)
  })

  it('keeps the playground on this machine; a bot with a token listens on every interface unless HTTP_HOST says otherwise', () => {
    expect(loadConfig({}).http.host).toBe('127.0.0.1')
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, TIP_ENCRYPTION_KEY: key }).http.host).toBe('0.0.0.0')
    expect(loadConfig({ HTTP_HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0')
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, TIP_ENCRYPTION_KEY: key, HTTP_HOST: '10.0.0.5' }).http.host).toBe('10.0.0.5')
  })

  it('reads a Telegram token and strips a trailing slash from the API root', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: 'http://127.0.0.1:9000/', TIP_ENCRYPTION_KEY: key })
    expect(config.telegram).toMatchObject({ token, apiRoot: 'http://127.0.0.1:9000', messagesPerSecond: 30 })
    expect(config.tips.encryptionKey?.length).toBe(32)
  })

  it('turns on paid broadcast only when its rate is set', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, TIP_ENCRYPTION_KEY: key }).telegram?.paidBroadcastPerSecond).toBeUndefined()
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, TIP_ENCRYPTION_KEY: key, TELEGRAM_PAID_BROADCAST_PER_SECOND: '1000' }).telegram?.paidBroadcastPerSecond).toBe(1000)
  })

  it('reads one more bot per province, each with its code, paced like the default bot; none by default', () => {
    const hanoi = '223456789:AAEhanoiabcdefghijklmnopqrstuvw'
    const hcm = '323456789:AAFhcmabcdefghijklmnopqrstuvwxy'
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: token, TIP_ENCRYPTION_KEY: key, TELEGRAM_BOTS: ` hn:${hanoi}, hcm:${hcm} ` })
    expect(config.telegram).toMatchObject({ token, messagesPerSecond: 30, provinceBots: [{ code: 'hn', token: hanoi }, { code: 'hcm', token: hcm }] })
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, TIP_ENCRYPTION_KEY: key }).telegram?.provinceBots).toEqual([])
  })

  it.each([
    [{ TELEGRAM_BOTS: 'hn' }, /^Configuration error: TELEGRAM_BOTS is "…" but must be province bots as code:token separated by commas \(such as hn:123456789:AAE…,hcm:987654321:AAF…\); entry 1 has no token/],
    [{ TELEGRAM_BOTS: `hn:${token.slice(0, 12)}` }, /TELEGRAM_BOTS is "…" but .*; "hn" has no token that looks like 123456789:AAE…/],
    [{ TELEGRAM_BOTS: `Ha-Noi:${token}` }, /TELEGRAM_BOTS is "…" but must give each bot a code of 1-12 lowercase letters or digits, such as hn; entry 1 has "Ha-Noi"\.$/],
    [{ TELEGRAM_BOTS: `hn:${token},hn:223456789:AAEhanoiabcdefghijklmnopqrstuvw` }, /TELEGRAM_BOTS is "…" but names "hn" twice: each province bot needs a code of its own\.$/],
    [{ TELEGRAM_BOTS: `hn:${token},hp:${token}` }, /TELEGRAM_BOTS is "…" but gives "hn" and "hp" the same token: each bot has a token of its own\.$/],
    [{ TELEGRAM_BOTS: `hn:${token}`, TIP_ENCRYPTION_KEY: key }, /^Configuration error: TELEGRAM_BOT_TOKEN is missing and must be set with TELEGRAM_BOTS: it is the default bot/],
    [{ TELEGRAM_BOT_TOKEN: token, TELEGRAM_BOTS: `hn:${token}`, TIP_ENCRYPTION_KEY: key }, /TELEGRAM_BOTS is "…" but gives "hn" the same token as TELEGRAM_BOT_TOKEN/],
  ])('refuses a wrong TELEGRAM_BOTS in one sentence that never shows a token: %o', (env, message) => {
    const text = configErrorOf(env)
    expect(text).toMatch(message)
    expect(text).not.toContain('abcdefghijkl')
    expect(text.split('\n')).toHaveLength(1)
  })

  it.each([
    [{ TELEGRAM_BOT_TOKEN: 'nope' }, /^Configuration error: TELEGRAM_BOT_TOKEN is "…" but must look like/],
    [{ HTTP_PORT: 'eighty' }, /^Configuration error: HTTP_PORT is "eighty" but must be a port number\.$/],
    [{ REDIS_URL: 'http://localhost' }, /REDIS_URL .* must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ TELEGRAM_BOT_TOKEN: token }, /^Configuration error: TIP_ENCRYPTION_KEY is missing and must be set when a platform token is set/],
    [{ TELEGRAM_BOT_TOKEN: token, TIP_ENCRYPTION_KEY: key, PUBLIC_URL: 'https://bot.example.vn' }, /TELEGRAM_WEBHOOK_SECRET is missing and must be set when PUBLIC_URL is set/],
    [{ TIP_RETENTION_DAYS: '-3' }, /TIP_RETENTION_DAYS is "-3" but must be a whole number of days/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL is "loud" but must be one of/],
    [{ DELIVERY_LOCK_MS: '500' }, /^Configuration error: DELIVERY_LOCK_MS is "500" but must be at least 1000 milliseconds\.$/],
    [{ TELEGRAM_PAID_BROADCAST_PER_SECOND: '5000' }, /TELEGRAM_PAID_BROADCAST_PER_SECOND is "5000" but must be at most 1000/],
    [{ PUBLIC_URL: 'http://bot.example.vn' }, /^Configuration error: PUBLIC_URL is "http:\/\/bot.example.vn" but must be the https:\/\/ address where this bot is reachable \(http:\/\/ only for localhost\)\.$/],
    [{ TRUSTED_PROXY: '10.0.0.1, proxy.local' }, /^Configuration error: TRUSTED_PROXY is "10.0.0.1, proxy.local" but must be the IP address of the reverse proxy/],
  ])('names the variable and what it expects: %o', (env, message) => {
    const text = configErrorOf(env)
    expect(text).toMatch(message)
    expect(text.split('\n')).toHaveLength(1)
  })

  it('takes http:// only for this machine, and the trusted proxies as addresses', () => {
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:8080/' }).publicUrl).toBe('http://localhost:8080')
    expect(loadConfig({ PUBLIC_URL: 'https://bot.example.vn' }).publicUrl).toBe('https://bot.example.vn')
    expect(loadConfig({ TRUSTED_PROXY: '172.18.0.1, ::1' }).trustedProxies).toEqual(['172.18.0.1', '::1'])
    expect(loadConfig({}).trustedProxies).toEqual([])
  })

  it('never echoes a secret value', () => {
    expect(configErrorOf({ TELEGRAM_BOT_TOKEN: token, TIP_ENCRYPTION_KEY: 'secret-but-wrong' })).not.toContain('secret-but-wrong')
  })
})

describe('loadConfig: Redis Sentinel and /metrics', () => {
  it.each([
    [{ REDIS_URL: 'redis+sentinel://10.0.0.1:26379,10.0.0.2:26379' }, /^Configuration error: REDIS_URL is "redis\+sentinel:\/\/10\.0\.0\.1:26379,10\.0\.0\.2:26379" but must be a redis:\/\/ or rediss:\/\/ URL, or redis\+sentinel:\/\/host1:26379,host2:26379\/<master name> for a Sentinel set\.$/],
    [{ REDIS_URL: 'redis+sentinel://:hunter2@10.0.0.1:99999/mymaster' }, /^Configuration error: REDIS_URL is "redis\+sentinel:\/\/…@10\.0\.0\.1:99999\/mymaster" but must be/],
    [{ REDIS_SENTINELS: '10.0.0.1:26379;10.0.0.2' }, /REDIS_SENTINELS is "10\.0\.0\.1:26379;10\.0\.0\.2" but must be the sentinels as host:port separated by commas/],
    [{ REDIS_SENTINELS: '10.0.0.1:26379' }, /^Configuration error: REDIS_SENTINEL_NAME is missing and must be set with REDIS_SENTINELS: the master name/],
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, /REDIS_SENTINELS is missing and must be set with REDIS_SENTINEL_NAME/],
    [{ REDIS_SENTINELS: '10.0.0.1', REDIS_SENTINEL_NAME: 'mymaster', REDIS_URL: 'redis://10.0.0.9:6379' }, /REDIS_URL is "redis:\/\/10\.0\.0\.9:6379" but must be empty when REDIS_SENTINELS is set/],
    [{ METRICS_BIND: '9464' }, /^Configuration error: METRICS_BIND is "9464" but must be host:port, such as 127\.0\.0\.1:9464\.$/],
    [{ METRICS_BIND: '127.0.0.1:99999' }, /METRICS_BIND is "127\.0\.0\.1:99999" but must be host:port/],
    [{ METRICS_TOKEN: 'short' }, /^Configuration error: METRICS_TOKEN is "…" but must be 16-256 characters/],
  ])('names the variable and what it expects: %o', (env, message) => {
    const text = configErrorOf(env)
    expect(text).toMatch(message)
    expect(text.split('\n')).toHaveLength(1)
  })

  it('reads a Sentinel set from REDIS_URL or from separate variables', () => {
    const fromUrl = loadConfig({ REDIS_URL: 'redis+sentinel://:p%40ss@10.0.0.1:26379,sentinel-2,[::1]:26380/safeschool/2', REDIS_SENTINEL_PASSWORD: 'sentinel-pass' })
    expect(fromUrl.redisUrl).toBeUndefined()
    expect(fromUrl.redisSentinel).toEqual({
      sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: 'sentinel-2', port: 26379 }, { host: '::1', port: 26380 }],
      name: 'safeschool',
      password: 'p@ss',
      db: 2,
      sentinelPassword: 'sentinel-pass',
    })
    expect(loadConfig({ REDIS_SENTINELS: 'a:26379, b:26380', REDIS_SENTINEL_NAME: 'mymaster' }).redisSentinel).toEqual({ sentinels: [{ host: 'a', port: 26379 }, { host: 'b', port: 26380 }], name: 'mymaster' })
    expect(loadConfig({ REDIS_URL: 'redis://10.0.0.9:6379' })).toMatchObject({ redisUrl: 'redis://10.0.0.9:6379', redisSentinel: undefined })
  })

  it('turns /metrics on with a token, a private address or both', () => {
    expect(loadConfig({}).metrics).toBeUndefined()
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(24) }).metrics).toEqual({ token: 'a'.repeat(24), bind: undefined })
    expect(loadConfig({ METRICS_BIND: '127.0.0.1:9464' }).metrics).toEqual({ token: undefined, bind: { host: '127.0.0.1', port: 9464 } })
    expect(loadConfig({ METRICS_BIND: '[::1]:9464' }).metrics?.bind).toEqual({ host: '::1', port: 9464 })
  })
})
