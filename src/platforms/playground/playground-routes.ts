import type { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { readPostingSchedule } from '../../content/posting-schedule.js'
import type { Clock, OffsetClock } from '../../core/clock.js'
import { parseCommand, type IncomingEvent } from '../../core/events.js'
import { escapeHtml } from '../../core/message.js'
import { formatDateTime } from '../../core/vn-time.js'
import type { Dispatcher } from '../../dispatch/dispatcher.js'
import { paths } from '../../data-paths.js'
import { json, type HttpRequest, type Route } from '../../server/http-server.js'
import type { Keys } from '../../store/redis.js'
import { TipStore } from '../../tips/tip-store.js'
import type { ClockOffsetStore } from './clock-offset-store.js'
import { FastForward, wakeTimesOf } from './fast-forward.js'
import type { PlaygroundChats, PlaygroundMessage } from './playground-chats.js'
import { playgroundPage } from './playground-page.js'

export interface PlaygroundChat {
  id: string
  title: string
  /** The short name on the phone layout's tab. */
  tab?: string
  kind: 'group' | 'private'
  /** Who types in this pane. */
  user: { id: string; name: string }
}

export interface PlaygroundDeps {
  chats: PlaygroundChats
  dispatcher: Dispatcher
  clock: OffsetClock & Clock
  /** Where the clock's offset is kept across restarts. */
  clockOffset: ClockOffsetStore
  panes: PlaygroundChat[]
  deliveryQueue: Queue
  runPlanners(): Promise<void>
  redis: Redis
  keys: Keys
}

const maxTextLength = 4000

export function playgroundRoutes(deps: PlaygroundDeps): Route[] {
  const tips = new TipStore(deps.redis, deps.keys)
  const machine = new FastForward({
    clock: deps.clock,
    deliveryQueue: deps.deliveryQueue,
    redis: deps.redis,
    keepOffset: () => deps.clockOffset.keep(deps.clock),
    runPlanners: deps.runPlanners,
    wakeTimes: wakeTimesOf(readPostingSchedule(paths.postingSchedule)),
    timers: () => tipTimers(tips),
    lastMessageId: () => deps.chats.lastId(),
  })
  return [
    { method: 'GET', path: '/playground', handle: async () => ({ status: 200, body: playgroundPage, headers: { 'content-type': 'text/html; charset=utf-8' } }) },
    { method: 'GET', path: '/playground/api/state', handle: async () => json(200, await state(deps)) },
    { method: 'POST', path: '/playground/api/say', handle: (request) => say(deps, request) },
    { method: 'POST', path: '/playground/api/press', handle: (request) => press(deps, request) },
    { method: 'POST', path: '/playground/api/fast-forward', handle: async () => json(200, await fastForward(deps, machine)) },
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

/** Moves the bot's clock to the next planned send; says which chats got something. */
async function fastForward(deps: PlaygroundDeps, machine: FastForward) {
  const lastIds = new Map(await Promise.all(deps.panes.map(async (pane) => [pane.id, lastId(await deps.chats.list(pane.id))] as const)))
  const result = await machine.toNextSend()
  const arrived = []
  for (const pane of deps.panes) {
    const count = (await deps.chats.list(pane.id)).filter((message) => message.from === 'bot' && Number(message.id) > (lastIds.get(pane.id) ?? 0)).length
    if (count > 0) arrived.push({ chatId: pane.id, title: pane.title, count })
  }
  return { now: formatDateTime(result.now), moved: result.moved, arrived }
}

function lastId(messages: PlaygroundMessage[]): number {
  return messages.length ? Number(messages.at(-1)!.id) : 0
}

/** Open tips' acknowledgement deadlines and reminders: the tip SLA planner acts on them at its tick. */
async function tipTimers(tips: TipStore): Promise<Date[]> {
  const timers: Date[] = []
  for (const id of await tips.openIds()) {
    const tip = await tips.get(id)
    if (!tip) continue
    if (tip.status === 'new') timers.push(tip.ackDueAt)
    timers.push(tip.nextReminderAt)
  }
  return timers
}
