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

  it('reads a Telegram token and strips a trailing slash from the API root', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: 'http://127.0.0.1:9000/', TIP_ENCRYPTION_KEY: key })
    expect(config.telegram).toMatchObject({ token, apiRoot: 'http://127.0.0.1:9000', messagesPerSecond: 30 })
    expect(config.tips.encryptionKey?.length).toBe(32)
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
