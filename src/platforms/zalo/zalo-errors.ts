import {
  ChatUnavailableError,
  DeliveryError,
  MessageRejectedError,
  OutsideWindowError,
  RateLimitedError,
  TransientDeliveryError,
} from '../../core/errors.js'

/**
 * Zalo answers HTTP 200 with `{error, message, data}`; `error == 0` is success. The code sets
 * below follow docs/zalo.md (research: Chatwoot's production classification plus goclaw's).
 */
export const rateLimitCode = -32
/** Access token invalid (-216/216, -401/401) or expired/removed (-220): refresh once, retry once. */
export const tokenCodes: ReadonlySet<number> = new Set([-216, 216, -220, -401, 401])
/** The user is outside the messaging window or refuses us: the message waits until they write. */
export const windowCodes: ReadonlySet<number> = new Set([-213, -217, -227, -230, -232, -234, -244])
/** The GMF group is disabled/expired (-237) or the OA is not in it (-403). */
export const chatGoneCodes: ReadonlySet<number> = new Set([-237, -403])
/** The payload itself is wrong (-201) or over a limit (-210). */
export const rejectedCodes: ReadonlySet<number> = new Set([-201, -210])
/** An uploaded attachment_id expired: upload again. */
export const attachmentExpiredCode = -100

/** How long everything waits after -32 ("Your application reached limit call api"): the limit is per app and per minute. */
export const rateLimitBackoffSeconds = 60
/** How long a message waits when Zalo access must be re-authorized by a person. */
export const reauthorizationWaitSeconds = 300

/** A Zalo OpenAPI call that answered with `error != 0`. */
export class ZaloApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly path: string,
  ) {
    super(`Zalo ${path} answered error ${code}: ${description}`)
    this.name = 'ZaloApiError'
  }
}

/** Zalo (or something in between) answered with an HTTP status other than 2xx. */
export class ZaloHttpError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
  ) {
    super(`Zalo ${path} answered HTTP ${status}`)
    this.name = 'ZaloHttpError'
  }
}

/** The network failed before an answer came (timeout, refused, reset). */
export class ZaloNetworkError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Zalo ${path} unreachable: ${reason}`)
    this.name = 'ZaloNetworkError'
  }
}

/**
 * There is no usable token pair: never authorized, or the single-use refresh token was burned or
 * expired. Only a person can fix it, with `npm run admin -- zalo authorize`.
 */
export class ZaloNotAuthorizedError extends Error {
  constructor(readonly reason: string) {
    super(`Zalo access needs re-authorization (npm run admin -- zalo authorize): ${reason}`)
    this.name = 'ZaloNotAuthorizedError'
  }
}

/** Zalo's failures in the core's vocabulary, so the delivery worker treats them like Telegram's. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error
  if (error instanceof ZaloApiError) {
    const { code, description } = error
    if (code === rateLimitCode) return new RateLimitedError(rateLimitBackoffSeconds, `Zalo rate limit (${code}): ${description}`)
    if (windowCodes.has(code)) return new OutsideWindowError(code, description)
    if (chatGoneCodes.has(code)) return new ChatUnavailableError(`Zalo ${code}: ${description}`)
    // Still refused after one refresh: Zalo may be mid-rotation; worth a few retries with backoff.
    if (tokenCodes.has(code)) return new TransientDeliveryError(`Zalo refused a fresh access token (${code}): ${description}`)
    if (rejectedCodes.has(code)) return new MessageRejectedError(`Zalo ${code}: ${description}`)
    // Everything else is permanent for this message (as in Chatwoot): quota (-211), missing
    // permission (-223), package (-224), … The coordinator sees it in the failure ledger.
    return new MessageRejectedError(`Zalo ${code}: ${description}`)
  }
  if (error instanceof ZaloNotAuthorizedError) {
    // Not the message's fault: hold it (without using attempts) until someone re-authorizes.
    return new RateLimitedError(reauthorizationWaitSeconds, error.message)
  }
  if (error instanceof ZaloHttpError) {
    if (error.status === 429) return new RateLimitedError(rateLimitBackoffSeconds, error.message)
    if (error.status >= 500 || error.status === 408) return new TransientDeliveryError(error.message)
    return new MessageRejectedError(error.message)
  }
  if (error instanceof ZaloNetworkError) return new TransientDeliveryError(error.message)
  return new TransientDeliveryError((error as Error)?.message ?? String(error))
}
