/** What a platform adapter says when a send fails, in one vocabulary for every platform. */
export class DeliveryError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message)
    this.name = new.target.name
  }
}

/** The platform asked us to wait (Telegram 429, Zalo -32). Not the message's fault: retry later. */
export class RateLimitedError extends DeliveryError {
  constructor(readonly retryAfterSeconds: number, detail = 'rate limited') {
    super(`${detail}; retry after ${retryAfterSeconds}s`, true)
  }
}

/** The chat will not take messages any more: bot removed, blocked, chat deleted. */
export class ChatUnavailableError extends DeliveryError {
  constructor(readonly reason: string) {
    super(`chat unavailable: ${reason}`, false)
  }
}

/** A Telegram group became a supergroup and has a new id. */
export class ChatMigratedError extends DeliveryError {
  constructor(readonly newChatId: string) {
    super(`chat migrated to ${newChatId}`, false)
  }
}

/** The user can be reached again only after they write to us (Zalo's interaction window). */
export class OutsideWindowError extends DeliveryError {
  constructor(readonly code: number, readonly reason: string) {
    super(`outside the messaging window (${code}): ${reason}`, false)
  }
}

/** The platform refused this message as it is (too long, bad markup). Retrying will not help. */
export class MessageRejectedError extends DeliveryError {
  constructor(readonly reason: string) {
    super(`message rejected: ${reason}`, false)
  }
}

/** Network trouble or a server error: worth retrying with backoff. */
export class TransientDeliveryError extends DeliveryError {
  constructor(reason: string) {
    super(`transient: ${reason}`, true)
  }
}

/** A problem in the operator's configuration or data: one sentence for the person at the top. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}
