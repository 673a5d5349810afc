/**
 * Child-process entry: the fake Bot API (test/fakes/fake-telegram.ts) in a process of its own, so
 * that "Telegram" does not share the bot's event loop or CPU time. Controlled by FakeHost over IPC.
 * BENCH_FAKE_OPTIONS is a list: one bot per entry, all behind one address (each bot's limits
 * counted apart, as Telegram does); a request names its bot by index.
 */
import { FakeTelegram, type FakeTelegramOptions } from '../../test/fakes/fake-telegram.js'
import type { FakeReply, FakeRequest } from './fake-host.js'
import { FaultProxy } from './fault-proxy.js'

const options = JSON.parse(process.env.BENCH_FAKE_OPTIONS ?? '[{}]') as FakeTelegramOptions[]
const fakes = await FakeTelegram.listenTogether(options.map((each) => new FakeTelegram(each)))
let proxy: FaultProxy | undefined

function send(message: FakeReply | { type: 'ready'; apiRoot: string; bots: { token: string; botUsername: string }[] }): void {
  process.send?.(message)
}

async function answer(request: FakeRequest & { bot?: number }): Promise<unknown> {
  const fake = fakes[request.bot ?? 0]!
  switch (request.cmd) {
    case 'faults':
      return fake.faults(request.options)
    case 'rateLimits':
      return fake.setRateLimits(request.limits)
    case 'latency':
      return fake.setLatency(request.ms)
    case 'admins':
      return fake.setChatAdmins(request.chatId, request.userIds)
    case 'clear':
      return fake.clearRecords()
    case 'push': {
      const update = fake.pushUpdate(request.update)
      return { updateId: update.update_id, at: Date.now() }
    }
    case 'push-many': {
      const updateIds = request.updates.map((update) => fake.pushUpdate(update).update_id)
      return { updateIds, at: Date.now() }
    }
    case 'fault-proxy':
      await proxy?.stop()
      proxy = await new FaultProxy(fake.apiRoot, request.options).listen()
      return { apiRoot: proxy.apiRoot }
    case 'fault-proxy-stats':
      if (!proxy) throw new Error('no fault proxy running')
      return proxy.stats
    case 'stats':
      return { ...fake.stats, messages: fake.messages.length, pendingUpdates: fake.pendingUpdates, cpu: process.cpuUsage(), rss: process.memoryUsage().rss }
    case 'messages':
      return fake.messages.slice(request.from ?? 0).map((m) => ({ chatId: m.chatId, messageId: m.messageId, text: m.plainText, at: m.at, buttons: m.replyMarkup?.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : undefined)) }))
    case 'requests':
      return fake.requests
        .slice(request.from ?? 0)
        .filter((r) => !request.method || r.method === request.method)
        .map((r) => ({ method: r.method, chatId: r.payload.chat_id === undefined ? undefined : String(r.payload.chat_id), at: r.at, status: r.status, description: r.description, queryId: typeof r.payload.callback_query_id === 'string' ? r.payload.callback_query_id : undefined }))
    case 'stop':
      await proxy?.stop()
      for (const each of fakes) await each.stop()
      setImmediate(() => process.exit(0))
      return undefined
  }
}

process.on('message', (raw) => {
  const request = raw as FakeRequest & { id: number }
  answer(request).then(
    (result) => send({ id: request.id, ok: true, result }),
    (error: unknown) => send({ id: request.id, ok: false, error: (error as Error).message }),
  )
})
process.on('disconnect', () => process.exit(0))

send({ type: 'ready', apiRoot: fakes[0]!.apiRoot, bots: fakes.map((fake) => ({ token: fake.token, botUsername: fake.botInfo.username })) })
