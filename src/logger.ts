import { pino, type Logger } from 'pino'

/**
 * Logs never carry tip text, user ids or secrets: handlers log ids of our own records only.
 * The redaction list is the net under that rule, not the rule itself.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['token', '*.token', 'text', '*.text', 'userId', '*.userId', 'chatId', '*.chatId', 'secret', '*.secret', 'access_token', 'refresh_token'],
      censor: '[redacted]',
    },
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  })
}

export type { Logger }
