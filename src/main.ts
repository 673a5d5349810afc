import { playgroundRedisPrefix } from './platforms/playground/playground-prefix.js'
import { createApp, type App } from './app.js'
import { loadConfig, loadDotEnv, type Config } from './config.js'
import { OffsetClock } from './core/clock.js'
import { ConfigError } from './core/errors.js'
import { readDirectoryFile } from './directory/directory-file.js'
import { createLogger, type Logger } from './logger.js'
import { demoPanes, prepareDemoDirectory } from './platforms/playground/demo-setup.js'
import { playgroundEncryptionKey } from './platforms/playground/playground-key.js'
import { describeTarget, type RedisTarget } from './store/redis.js'
import { resolveRedis } from './store/resolve-redis.js'

async function main(): Promise<void> {
  loadDotEnv()
  const config = loadConfig()
  const logger = createLogger(config.logLevel)
  const redis = await resolveRedis(config)
  logger.info({ redis: describeTarget(redis.target) }, 'redis')
  const app = hasPlatform(config) ? await startBot(config, redis.target, logger) : await startPlayground(config, redis.target, logger)

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down')
    await app.stop()
    await redis.stop()
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
}

function hasPlatform(config: Config): boolean {
  return config.telegram !== undefined || config.zalo !== undefined
}

async function startBot(config: Config, redisTarget: RedisTarget, logger: Logger): Promise<App> {
  const app = await createApp({ config, redisTarget, logger })
  if (config.directoryFile) {
    const summary = await app.deps.directory.importFile(readDirectoryFile(config.directoryFile))
    logger.info({ schools: summary.schools, officers: summary.officers }, 'directory imported')
  }
  await app.start()
  logger.info({ http: app.httpAddress?.port, mode: config.publicUrl ? 'webhook' : 'polling' }, 'SafeSchool Bot is running')
  return app
}

/** No platform token: the same bot, on a local page, with a demo school, so a newcomer can try everything. */
async function startPlayground(config: Config, redisTarget: RedisTarget, logger: Logger): Promise<App> {
  const clock = new OffsetClock()
  const playgroundConfig: Config = {
    ...config,
    redisPrefix: playgroundRedisPrefix(config.redisPrefix),
    tips: { ...config.tips, encryptionKey: config.tips.encryptionKey ?? playgroundEncryptionKey(config.dataDir) },
  }
  const app = await createApp({ config: playgroundConfig, redisTarget, logger, clock, playground: { clock, panes: demoPanes } })
  await prepareDemoDirectory(app.deps.directory, clock.now())
  await app.start()
  const port = app.httpAddress?.port
  console.error(
    `No platform token is configured (set TELEGRAM_BOT_TOKEN in .env to run on Telegram, or ZALO_APP_ID, ZALO_APP_SECRET and ZALO_OA_SECRET_KEY to run on Zalo; see .env.example), so the bot runs as a local playground: open http://localhost:${port}/playground`,
  )
  return app
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message)
  else console.error(`SafeSchool Bot could not start: ${(error as Error)?.message ?? String(error)}`)
  process.exit(1)
})
