import { existsSync } from 'node:fs'
import { isIP } from 'node:net'
import { z } from 'zod'
import { ConfigError } from './core/errors.js'
import { botCodePattern } from './core/platform.js'
import type { SentinelTarget } from './store/redis.js'
import { isSentinelUrl, parseSentinelHosts, parseSentinelUrl } from './store/sentinel-address.js'

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))

function positiveInt(what: string, fallback: number) {
  return z.coerce
    .number({ error: `must be ${what}` })
    .int({ error: `must be ${what}` })
    .positive({ error: `must be ${what}` })
    .default(fallback)
}

const telegramToken = /^\d{5,}:[A-Za-z0-9_-]{20,}$/
const webhookSecret = /^[A-Za-z0-9_-]{16,256}$/
const zaloId = /^\d{5,30}$/
const metricsToken = /^[A-Za-z0-9_.~-]{16,256}$/

/** A province's own Telegram bot (TELEGRAM_BOTS): its code names its platform, telegram-<code>. */
export interface ProvinceBot {
  code: string
  token: string
}

/**
 * "hn:123:AAA…,hcm:456:BBB…" → the bots, or the one sentence saying what is wrong. The code ends
 * at the first ':' (a token has one of its own); a token is never repeated in the sentence.
 */
export function parseProvinceBots(value: string): { bots: ProvinceBot[] } | { problem: string } {
  const bots: ProvinceBot[] = []
  const entries = value.split(',').map((entry) => entry.trim())
  for (const [index, entry] of entries.entries()) {
    const at = entry.indexOf(':')
    const code = entry.slice(0, at)
    const token = entry.slice(at + 1)
    if (at < 0 || !telegramToken.test(token)) {
      const named = at > 0 && botCodePattern.test(code) ? `"${code}"` : `entry ${index + 1}`
      return { problem: `must be province bots as code:token separated by commas (such as hn:123456789:AAE…,hcm:987654321:AAF…); ${named} has no token that looks like 123456789:AAE… (the token BotFather gave that bot)` }
    }
    if (!botCodePattern.test(code)) return { problem: `must give each bot a code of 1-12 lowercase letters or digits, such as hn; entry ${index + 1} has "${code}"` }
    const same = bots.find((bot) => bot.code === code || bot.token === token)
    if (same?.code === code) return { problem: `names "${code}" twice: each province bot needs a code of its own` }
    if (same) return { problem: `gives "${same.code}" and "${code}" the same token: each bot has a token of its own` }
    bots.push({ code, token })
  }
  return { bots }
}

/** "127.0.0.1:9464", "[::1]:9464" → host and port; anything else → undefined, which the schema refuses. */
function parseBind(value: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value)
  const port = Number(match?.[3])
  if (!match || port > 65535) return undefined
  return { host: match[1] ?? match[2]!, port }
}

export const envSchema = z
  .object({
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }).default('info'),
    REDIS_URL: optionalText.pipe(
      z.string().refine(isRedisUrl, { error: 'must be a redis:// or rediss:// URL, or redis+sentinel://host1:26379,host2:26379/<master name> for a Sentinel set' }).optional(),
    ),
    REDIS_SENTINELS: optionalText.pipe(z.string().refine((list) => parseSentinelHosts(list) !== undefined, { error: 'must be the sentinels as host:port separated by commas, such as 10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379' }).optional()),
    REDIS_SENTINEL_NAME: optionalText.pipe(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'must be the master name the sentinels monitor (sentinel monitor <name> …), such as mymaster' }).optional()),
    REDIS_SENTINEL_PASSWORD: optionalText,
    REDIS_PREFIX: z.string().regex(/^[a-z0-9-]{1,32}$/, { error: 'must be 1-32 lowercase letters, digits or dashes' }).default('ssb'),
    DATA_DIR: z.string().min(1).default('./data'),
    HTTP_HOST: optionalText.pipe(z.string().optional()),
    HTTP_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0, { error: 'must be a port number' }).max(65535, { error: 'must be a port number' }).default(8080),
    PUBLIC_URL: optionalText.pipe(
      z
        .url({ protocol: /^https?$/, error: 'must be the https:// address where this bot is reachable' })
        // Telegram and Zalo call webhooks over https only; plain http is for a bot on this machine.
        .refine(isHttpsOrLocal, { error: 'must be the https:// address where this bot is reachable (http:// only for localhost)' })
        .optional(),
    ),
    TRUSTED_PROXY: optionalText.pipe(
      z
        .string()
        .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean))
        .refine((addresses) => addresses.every((address) => isIP(address) !== 0), { error: 'must be the IP address of the reverse proxy in front of the bot (several separated by commas), such as 172.18.0.1' })
        .optional(),
    ),
    TELEGRAM_BOT_TOKEN: optionalText.pipe(z.string().regex(telegramToken, { error: 'must look like 123456789:AAE… (the token BotFather gave you)' }).optional()),
    TELEGRAM_BOTS: optionalText.pipe(
      z
        .string()
        .transform((value, ctx) => {
          const parsed = parseProvinceBots(value)
          if ('bots' in parsed) return parsed.bots
          ctx.addIssue({ code: 'custom', message: parsed.problem })
          return z.NEVER
        })
        .optional(),
    ),
    TELEGRAM_API_ROOT: z.url({ error: 'must be a URL such as https://api.telegram.org' }).default('https://api.telegram.org').transform((url) => url.replace(/\/+$/, '')),
    TELEGRAM_WEBHOOK_SECRET: optionalText.pipe(z.string().regex(webhookSecret, { error: 'must be 16-256 characters of A-Z, a-z, 0-9, _ and -' }).optional()),
    TELEGRAM_MESSAGES_PER_SECOND: positiveInt('a whole number of messages per second, such as 30', 30),
    TELEGRAM_PAID_BROADCAST_PER_SECOND: optionalText.pipe(
      z
        .string()
        .regex(/^\d+$/, { error: 'must be empty (off) or a whole number of messages per second up to 1000, such as 1000' })
        .transform(Number)
        .pipe(z.number().min(1, { error: 'must be empty (off) or a whole number of messages per second up to 1000, such as 1000' }).max(1000, { error: 'must be at most 1000: Telegram takes paid broadcasts up to 1,000 messages per second' }))
        .optional(),
    ),
    DELIVERY_CONCURRENCY: positiveInt('a whole number of parallel sends, such as 16', 16),
    DELIVERY_LOCK_MS: positiveInt('a whole number of milliseconds, such as 10000', 10_000).pipe(z.number().min(1000, { error: 'must be at least 1000 milliseconds' })),
    TIP_ENCRYPTION_KEY: optionalText.pipe(z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'must be 64 hex characters (32 bytes); make one with: openssl rand -hex 32' }).optional()),
    TIP_RETENTION_DAYS: positiveInt('a whole number of days, such as 90', 90),
    DIRECTORY_FILE: optionalText,
    ZALO_APP_ID: optionalText.pipe(z.string().regex(zaloId, { error: 'must be the numeric App ID shown on developers.zalo.me (Ứng dụng → Thông tin ứng dụng)' }).optional()),
    ZALO_APP_SECRET: optionalText.pipe(z.string().min(8, { error: 'must be the App Secret Key shown on developers.zalo.me (Ứng dụng → Thông tin ứng dụng)' }).optional()),
    ZALO_OA_SECRET_KEY: optionalText.pipe(z.string().min(8, { error: 'must be the OA Secret Key shown on developers.zalo.me under Webhook (not the App Secret Key)' }).optional()),
    ZALO_OA_ID: optionalText.pipe(z.string().regex(zaloId, { error: 'must be the numeric id of the Official Account' }).optional()),
    ZALO_API_BASE: z.url({ error: 'must be a URL such as https://openapi.zalo.me' }).default('https://openapi.zalo.me').transform((url) => url.replace(/\/+$/, '')),
    ZALO_OAUTH_BASE: z.url({ error: 'must be a URL such as https://oauth.zaloapp.com' }).default('https://oauth.zaloapp.com').transform((url) => url.replace(/\/+$/, '')),
    ZALO_REFRESH_TOKEN: optionalText,
    ZALO_MESSAGES_PER_SECOND: positiveInt('a whole number of messages per second, such as 5', 5),
    METRICS_TOKEN: optionalText.pipe(z.string().regex(metricsToken, { error: 'must be 16-256 characters of A-Z, a-z, 0-9, _, -, . and ~ (make one with: openssl rand -hex 24)' }).optional()),
    METRICS_BIND: optionalText.pipe(z.string().transform(parseBind).pipe(z.object({ host: z.string(), port: z.number() }, { error: 'must be host:port, such as 127.0.0.1:9464' })).optional()),
  })
  .superRefine((env, ctx) => {
    if (env.REDIS_SENTINELS && env.REDIS_URL) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'must be empty when REDIS_SENTINELS is set: name the Redis in one place (or use redis+sentinel://… in REDIS_URL alone)' })
    }
    if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINEL_NAME'], message: 'must be set with REDIS_SENTINELS: the master name the sentinels monitor (sentinel monitor <name> …)' })
    }
    if (env.REDIS_SENTINEL_NAME && !env.REDIS_SENTINELS) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINELS'], message: 'must be set with REDIS_SENTINEL_NAME: the sentinels as host:port separated by commas' })
    }
    if (env.TELEGRAM_BOTS && !env.TELEGRAM_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_BOT_TOKEN'], message: 'must be set with TELEGRAM_BOTS: it is the default bot, for the coordinators and the provinces without a bot of their own' })
    }
    const sameAsDefault = env.TELEGRAM_BOTS?.find((bot) => bot.token === env.TELEGRAM_BOT_TOKEN)
    if (sameAsDefault) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_BOTS'], message: `gives "${sameAsDefault.code}" the same token as TELEGRAM_BOT_TOKEN: each bot has a token of its own` })
    }
    if (env.PUBLIC_URL && env.TELEGRAM_BOT_TOKEN && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'must be set when PUBLIC_URL is set, so that only Telegram can call the webhook (16-256 characters of A-Z, a-z, 0-9, _ and -)' })
    }
    const zaloParts = [['ZALO_APP_ID', env.ZALO_APP_ID], ['ZALO_APP_SECRET', env.ZALO_APP_SECRET], ['ZALO_OA_SECRET_KEY', env.ZALO_OA_SECRET_KEY]] as const
    const missingZalo = zaloParts.find(([, value]) => !value)
    if (missingZalo && zaloParts.some(([, value]) => value)) {
      ctx.addIssue({ code: 'custom', path: [missingZalo[0]], message: 'must be set too: Zalo needs ZALO_APP_ID, ZALO_APP_SECRET and ZALO_OA_SECRET_KEY together (all three are on developers.zalo.me)' })
    }
    if ((env.TELEGRAM_BOT_TOKEN || env.ZALO_APP_ID) && !env.TIP_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['TIP_ENCRYPTION_KEY'], message: 'must be set when a platform token is set, because tipsters\' ids are stored encrypted with it (make one with: openssl rand -hex 32)' })
    }
  })

function isHttpsOrLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url)
  return protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(hostname)
}

type Env = z.infer<typeof envSchema>

export interface Config {
  logLevel: Env['LOG_LEVEL']
  /** A plain Redis; redisSentinel instead when REDIS_URL is redis+sentinel://… or REDIS_SENTINELS is set. */
  redisUrl?: string
  redisSentinel?: SentinelTarget
  redisPrefix: string
  dataDir: string
  http: { host: string; port: number }
  publicUrl?: string
  /** Reverse proxies whose X-Forwarded-For is believed (IP addresses). */
  trustedProxies: string[]
  telegram?: {
    token: string
    apiRoot: string
    webhookSecret?: string
    messagesPerSecond: number
    /** Telegram's paid broadcast (allow_paid_broadcast) at this rate; undefined = off. */
    paidBroadcastPerSecond?: number
    /**
     * TELEGRAM_BOTS: one more bot per province, each paced on its own at messagesPerSecond (or
     * paidBroadcastPerSecond) and sharing apiRoot and webhookSecret with the default bot.
     */
    provinceBots: ProvinceBot[]
  }
  zalo?: {
    appId: string
    appSecret: string
    oaSecretKey: string
    oaId?: string
    apiBase: string
    oauthBase: string
    /** Seeds the token store once (see docs/zalo.md); later refresh tokens live in Redis. */
    refreshToken?: string
    messagesPerSecond: number
  }
  /** lockMs: how long a crashed process's in-flight deliveries stay locked before another process retakes them. */
  delivery: { concurrency: number; lockMs: number }
  tips: { encryptionKey?: Buffer; retentionDays: number }
  directoryFile?: string
  /**
   * GET /metrics: behind a bearer token on the HTTP port, or on a private address of its own
   * (with the token too when both are set); off when neither is set.
   */
  metrics?: { token?: string; bind?: { host: string; port: number } }
}

/** Validates the environment once; the first problem becomes one sentence naming the variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const variable = String(issue.path[0] ?? 'environment')
    const shown = source[variable] === undefined ? 'is missing and' : `is "${redact(variable, source[variable]!)}" but`
    throw new ConfigError(`Configuration error: ${variable} ${shown} ${issue.message}.`)
  }
  const env = parsed.data
  return {
    logLevel: env.LOG_LEVEL,
    redisUrl: env.REDIS_URL && !isSentinelUrl(env.REDIS_URL) ? env.REDIS_URL : undefined,
    redisSentinel: sentinelOf(env),
    redisPrefix: env.REDIS_PREFIX,
    dataDir: env.DATA_DIR,
    // With no platform token the server is the playground, where anyone who reaches it can act as
    // any chat and move the clock: it listens on this machine only unless HTTP_HOST says otherwise.
    http: { host: env.HTTP_HOST ?? (env.TELEGRAM_BOT_TOKEN || env.ZALO_APP_ID ? '0.0.0.0' : '127.0.0.1'), port: env.HTTP_PORT },
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
    trustedProxies: env.TRUSTED_PROXY ?? [],
    telegram: env.TELEGRAM_BOT_TOKEN
      ? {
          token: env.TELEGRAM_BOT_TOKEN,
          apiRoot: env.TELEGRAM_API_ROOT,
          webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
          messagesPerSecond: env.TELEGRAM_MESSAGES_PER_SECOND,
          paidBroadcastPerSecond: env.TELEGRAM_PAID_BROADCAST_PER_SECOND,
          provinceBots: env.TELEGRAM_BOTS ?? [],
        }
      : undefined,
    zalo:
      env.ZALO_APP_ID && env.ZALO_APP_SECRET && env.ZALO_OA_SECRET_KEY
        ? {
            appId: env.ZALO_APP_ID,
            appSecret: env.ZALO_APP_SECRET,
            oaSecretKey: env.ZALO_OA_SECRET_KEY,
            oaId: env.ZALO_OA_ID,
            apiBase: env.ZALO_API_BASE,
            oauthBase: env.ZALO_OAUTH_BASE,
            refreshToken: env.ZALO_REFRESH_TOKEN,
            messagesPerSecond: env.ZALO_MESSAGES_PER_SECOND,
          }
        : undefined,
    delivery: { concurrency: env.DELIVERY_CONCURRENCY, lockMs: env.DELIVERY_LOCK_MS },
    tips: {
      encryptionKey: env.TIP_ENCRYPTION_KEY ? Buffer.from(env.TIP_ENCRYPTION_KEY, 'hex') : undefined,
      retentionDays: env.TIP_RETENTION_DAYS,
    },
    directoryFile: env.DIRECTORY_FILE,
    metrics: env.METRICS_TOKEN || env.METRICS_BIND ? { token: env.METRICS_TOKEN, bind: env.METRICS_BIND } : undefined,
  }
}

/** Reads ./.env into process.env when present; real environment variables win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path)
}

function isRedisUrl(url: string): boolean {
  if (isSentinelUrl(url)) return parseSentinelUrl(url) !== undefined
  return z.url({ protocol: /^rediss?$/ }).safeParse(url).success
}

function sentinelOf(env: Env): SentinelTarget | undefined {
  const sentinelPassword = env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}
  if (env.REDIS_URL && isSentinelUrl(env.REDIS_URL)) return { ...parseSentinelUrl(env.REDIS_URL)!, ...sentinelPassword }
  if (env.REDIS_SENTINELS && env.REDIS_SENTINEL_NAME) return { sentinels: parseSentinelHosts(env.REDIS_SENTINELS)!, name: env.REDIS_SENTINEL_NAME, ...sentinelPassword }
  return undefined
}

/** Secrets are never echoed; a URL keeps its shape but loses its password. */
function redact(variable: string, value: string): string {
  if (/TOKEN|SECRET|KEY|PASSWORD|TELEGRAM_BOTS/.test(variable)) return '…'
  return value.replace(/\/\/[^@/]*@/, '//…@')
}
