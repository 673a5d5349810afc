import { loadConfig, loadDotEnv } from '../config.js'
import { ConfigError } from '../core/errors.js'
import { runAdminCommand } from './commands.js'

loadDotEnv()
try {
  const config = loadConfig()
  const code = await runAdminCommand(process.argv.slice(2), config)
  process.exit(code)
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `admin: ${(error as Error).message}`)
  process.exit(1)
}
