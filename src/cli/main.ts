import { loadConfig, loadDotEnv } from '../config.js'
import { ConfigError } from '../core/errors.js'
import { runAdminCommand } from './commands.js'

/**
 * `npm run admin -- schools | head` closes our stdout early: the write fails with EPIPE, which
 * would throw from inside console.log and skip the command's clean-up (the private redis-server
 * would be left running). Once the reader is gone the rest of the output is dropped, the command
 * finishes and cleans up, and the exit code is the command's own.
 */
let readerGone = false
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') readerGone = true
  else throw error
})
const print = (line: string) => {
  if (!readerGone) process.stdout.write(`${line}\n`)
}

loadDotEnv()
try {
  const config = loadConfig()
  const code = await runAdminCommand(process.argv.slice(2), config, print)
  process.exit(code)
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `admin: ${(error as Error).message}`)
  process.exit(1)
}
