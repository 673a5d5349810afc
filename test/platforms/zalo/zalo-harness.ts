import type { Redis } from 'ioredis'
import { systemClock, type Clock } from '../../../src/core/clock.js'
import { createLogger } from '../../../src/logger.js'
import { ZaloApi } from '../../../src/platforms/zalo/zalo-api.js'
import { ZaloChannel } from '../../../src/platforms/zalo/zalo-channel.js'
import { ChoiceStore } from '../../../src/platforms/zalo/zalo-choices.js'
import { ZaloOAuthClient } from '../../../src/platforms/zalo/zalo-oauth.js'
import { ZaloTokenStore, type ZaloTokenStoreDeps } from '../../../src/platforms/zalo/zalo-token-store.js'
import { ZaloInteractions } from '../../../src/platforms/zalo/zalo-window.js'
import { Keys } from '../../../src/store/redis.js'
import type { FakeZalo } from '../../fakes/fake-zalo.js'
import { uniquePrefix } from '../../support/redis.js'

export const silent = createLogger('silent')

export function oauthFor(fake: FakeZalo): ZaloOAuthClient {
  return new ZaloOAuthClient({ baseUrl: fake.url, appId: fake.appId, appSecret: fake.appSecret })
}

export function tokenStoreFor(fake: FakeZalo, redis: Redis, keys: Keys, extra: Partial<ZaloTokenStoreDeps> = {}): ZaloTokenStore {
  return new ZaloTokenStore({ redis, keys, oauth: oauthFor(fake), clock: systemClock, logger: silent, ...extra })
}

export interface ChannelHarness {
  keys: Keys
  tokens: ZaloTokenStore
  api: ZaloApi
  channel: ZaloChannel
  choices: ChoiceStore
  interactions: ZaloInteractions
}

/** The adapter as the app builds it, against `fake`, on a fresh key prefix, seeded with the fake's refresh token. */
export async function channelFor(fake: FakeZalo, redis: Redis, options: { clock?: Clock; keys?: Keys } = {}): Promise<ChannelHarness> {
  const keys = options.keys ?? new Keys(uniquePrefix())
  const clock = options.clock ?? systemClock
  const tokens = tokenStoreFor(fake, redis, keys, { clock })
  await tokens.seedRefreshToken(fake.initialRefreshToken)
  const api = new ZaloApi({ baseUrl: fake.url, tokens })
  const choices = new ChoiceStore(redis, keys)
  const interactions = new ZaloInteractions(redis, keys)
  const channel = new ZaloChannel({ api, redis, keys, clock, choices, interactions, messagesPerSecond: 50 })
  return { keys, tokens, api, channel, choices, interactions }
}
