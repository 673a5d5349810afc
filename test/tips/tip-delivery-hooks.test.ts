import { pino } from 'pino'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/core/clock.js'
import { actionButton, type OutgoingMessage } from '../../src/core/message.js'
import { Directory } from '../../src/directory/directory.js'
import { readDirectoryFile } from '../../src/directory/directory-file.js'
import { createTipDeliveryHooks, type TipDeliveryHooks } from '../../src/tips/tip-delivery-hooks.js'
import { tipDeepLinkButton } from '../../src/tips/tip-deep-link.js'
import { TipStore } from '../../src/tips/tip-store.js'
import { TipCards } from '../../src/tips/tip-cards.js'
import { OfficerReachability } from '../../src/directory/officer-reachability.js'
import { Keys } from '../../src/store/redis.js'
import { webTipBaseFor, webTipButtonLabel } from '../../src/tips/web-tip-link.js'
import { connectTestRedis, deleteKeys, uniquePrefix } from '../support/redis.js'

const redis = connectTestRedis()
const registered = { platform: 'telegram' as const, chatId: '-100111' }
const unbound = { platform: 'telegram' as const, chatId: '-100222' }

let keys: Keys
let hooks: TipDeliveryHooks

/** The hooks on this test's keys, with an outbox and cards that go nowhere. */
function hooksFor(directory: Directory, webTipBase?: ReturnType<typeof webTipBaseFor>): TipDeliveryHooks {
  const logger = pino({ level: 'silent' })
  return createTipDeliveryHooks({
    store: new TipStore(redis, keys),
    directory,
    outbox: { send: async () => undefined },
    clock: new ManualClock(new Date()),
    logger,
    reachability: new OfficerReachability(redis, keys),
    cards: new TipCards(redis, keys, directory, async () => undefined, logger),
    sla: { passOver: async () => false },
    ...(webTipBase ? { webTipBase } : {}),
  })
}

beforeEach(async () => {
  keys = new Keys(uniquePrefix())
  const directory = new Directory(redis, keys)
  await directory.importFile(readDirectoryFile('schedules/schools.example.yaml'))
  await directory.registerGroup(registered, 'THCS-NGO-QUYEN', new Date())
  await directory.noteGroupJoined(unbound, 'Nhóm chưa đăng ký')
  hooks = hooksFor(directory)
})
afterEach(async () => deleteKeys(redis, keys.prefix))
afterAll(async () => {
  await redis.quit()
})

describe('the tip link on group messages', () => {
  const message: OutgoingMessage = { text: '✅ Đã đăng ký nhóm này.', buttons: [[actionButton('1', 'x:1')]] }

  it('is added, last, to a message for a school\'s group, bound to that school', async () => {
    expect(await hooks.decorate(registered, 'group', message)).toEqual({ ...message, buttons: [[actionButton('1', 'x:1')], [tipDeepLinkButton('THCS-NGO-QUYEN')]] })
    expect(await hooks.decorate(registered, 'group', { text: 'x' })).toEqual({ text: 'x', buttons: [[tipDeepLinkButton('THCS-NGO-QUYEN')]] })
  })

  it('is not added twice, nor to private chats, nor to a group bound to no school', async () => {
    const withLink = { text: 'x', buttons: [[tipDeepLinkButton('THCS-NGO-QUYEN')]] }
    expect(await hooks.decorate(registered, 'group', withLink)).toBe(withLink)
    expect(await hooks.decorate({ platform: 'telegram', chatId: '100000005' }, 'private', message)).toBe(message)
    expect(await hooks.decorate(unbound, 'group', message)).toBe(message)
  })

  it('carries the web tip page beside the chat link, with the school chosen, when the bot has a public address', async () => {
    const withWeb = hooksFor(new Directory(redis, keys), webTipBaseFor('https://antt.example.vn'))
    expect(await withWeb.decorate(registered, 'group', { text: 'x' })).toEqual({
      text: 'x',
      buttons: [[tipDeepLinkButton('THCS-NGO-QUYEN'), { kind: 'url', label: webTipButtonLabel, url: 'https://antt.example.vn/bao-tin?truong=THCS-NGO-QUYEN' }]],
    })
  })
})
