import type { Queue } from 'bullmq'
import type { Clock, OffsetClock } from '../../core/clock.js'
import { parseCommand, type IncomingEvent } from '../../core/events.js'
import { escapeHtml } from '../../core/message.js'
import { atLocal, formatDateTime, localDateOf, addDays } from '../../core/vn-time.js'
import type { Dispatcher } from '../../dispatch/dispatcher.js'
import { json, type HttpRequest, type Route } from '../../server/http-server.js'
import type { PlaygroundChats } from './playground-chats.js'
import { playgroundPage } from './playground-page.js'

export interface PlaygroundChat {
  id: string
  title: string
  kind: 'group' | 'private'
  /** Who types in this pane. */
  user: { id: string; name: string }
}

export interface PlaygroundDeps {
  chats: PlaygroundChats
  dispatcher: Dispatcher
  clock: OffsetClock & Clock
  panes: PlaygroundChat[]
  deliveryQueue: Queue
  runPlanners(): Promise<void>
}

/** The times schedules use; fast-forward tries them in order until a planner queues something. */
const candidateTimes: [number, number][] = [[7, 0], [7, 30], [16, 30]]
const fastForwardDays = 120
const maxTextLength = 4000

export function playgroundRoutes(deps: PlaygroundDeps): Route[] {
  return [
    { method: 'GET', path: '/playground', handle: async () => ({ status: 200, body: playgroundPage, headers: { 'content-type': 'text/html; charset=utf-8' } }) },
    { method: 'GET', path: '/playground/api/state', handle: async () => json(200, await state(deps)) },
    { method: 'POST', path: '/playground/api/say', handle: (request) => say(deps, request) },
    { method: 'POST', path: '/playground/api/press', handle: (request) => press(deps, request) },
    { method: 'POST', path: '/playground/api/fast-forward', handle: async () => json(200, await fastForward(deps)) },
  ]
}

async function state(deps: PlaygroundDeps) {
  const panes = await Promise.all(deps.panes.map(async (pane) => ({ ...pane, messages: await deps.chats.list(pane.id) })))
  return { now: formatDateTime(deps.clock.now()), panes }
}

function readBody(request: HttpRequest): Record<string, unknown> | undefined {
  try {
    const body = JSON.parse(request.body.toString('utf8')) as unknown
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

async function say(deps: PlaygroundDeps, request: HttpRequest) {
  const body = readBody(request)
  const pane = deps.panes.find((p) => p.id === body?.chatId)
  const text = typeof body?.text === 'string' ? body.text.trim() : ''
  if (!pane) return json(400, { error: 'chatId must name one of the playground chats' })
  if (!text) return json(400, { error: 'text is empty' })
  if (text.length > maxTextLength) return json(400, { error: `text is over ${maxTextLength} characters` })
  const messageId = await deps.chats.append(pane.id, 'user', { text: escapeHtml(text) }, deps.clock.now())
  const event: IncomingEvent = {
    type: 'message',
    eventId: `pg-${messageId}`,
    chat: { platform: 'playground', chatId: pane.id, kind: pane.kind, title: pane.title },
    from: { platform: 'playground', userId: pane.user.id, displayName: pane.user.name },
    messageId,
    text,
    photos: [],
    command: parseCommand(text),
  }
  const result = await deps.dispatcher.handle(event)
  return json(200, { handled: result.handled })
}

async function press(deps: PlaygroundDeps, request: HttpRequest) {
  const body = readBody(request)
  const pane = deps.panes.find((p) => p.id === body?.chatId)
  if (!pane || typeof body?.data !== 'string' || typeof body.messageId !== 'string') return json(400, { error: 'chatId, messageId and data are required' })
  const result = await deps.dispatcher.handle({
    type: 'button',
    eventId: `pg-press-${pane.id}-${body.messageId}-${Date.now()}`,
    chat: { platform: 'playground', chatId: pane.id, kind: pane.kind, title: pane.title },
    from: { platform: 'playground', userId: pane.user.id, displayName: pane.user.name },
    data: body.data,
    messageId: body.messageId,
  })
  return json(200, { toast: result.toast ?? null })
}

/** Moves the bot's clock to the next moment a schedule sends something, and lets the planners run there. */
async function fastForward(deps: PlaygroundDeps) {
  const start = deps.clock.now()
  const before = await queued(deps.deliveryQueue)
  for (let day = 0; day <= fastForwardDays; day++) {
    const date = addDays(localDateOf(start), day)
    for (const [hour, minute] of candidateTimes) {
      const at = atLocal(date, hour, minute)
      if (at.getTime() <= start.getTime()) continue
      deps.clock.jumpTo(at)
      await deps.runPlanners()
      if ((await queued(deps.deliveryQueue)) > before) return { now: formatDateTime(deps.clock.now()), moved: true }
    }
  }
  return { now: formatDateTime(deps.clock.now()), moved: false }
}

async function queued(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed')
  return Object.values(counts).reduce((sum, n) => sum + n, 0)
}
