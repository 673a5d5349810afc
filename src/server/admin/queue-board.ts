import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { HonoAdapter } from '@bull-board/hono'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Queue } from 'bullmq'
import { Hono } from 'hono'
import type { DeliveryJob, DeliveryPurpose } from '../../delivery/delivery-job.js'
import type { HttpRequest, HttpResponse } from '../http-server.js'

export const queueBoardPath = '/admin/queues'

/**
 * Messages whose text is shown on the board: what the bot posts to school groups anyway.
 * Everything else can carry a tip, a tipster's words or contact, or a sign-in code.
 */
const shownPurposes: ReadonlySet<DeliveryPurpose> = new Set(['post', 'reminder', 'announcement'])

/** A delivery job as the board shows it: no recipient (sealed or not), no private text. */
export function boardViewOfDelivery(data: DeliveryJob): Record<string, unknown> {
  const message = data.op?.message
  return {
    purpose: data.purpose,
    platform: data.to?.platform,
    op: data.op?.kind,
    text: message && shownPurposes.has(data.purpose) ? message.text : '(ẩn: tin riêng, không hiển thị ở đây)',
    ...(message?.buttons ? { buttons: message.buttons.flat().length } : {}),
    ...(data.condition ? { condition: data.condition } : {}),
    ...(data.chatSlotAt ? { chatSlotAt: new Date(data.chatSlotAt).toISOString() } : {}),
  }
}

/**
 * The board's API answers without stack traces and with file paths cut from failure reasons:
 * they map the server's layout for whoever reads the page, and say nothing a coordinator can act on.
 */
export function withoutInternals(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutInternals)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (key === 'stacktrace') return [key, []]
      if (key === 'failedReason' && typeof inner === 'string') return [key, withoutPaths(inner)]
      return [key, withoutInternals(inner)]
    }),
  )
}

function withoutPaths(reason: string): string {
  return reason
    .slice(0, 500)
    .replace(/(?:file:\/\/)?(?:[A-Za-z]:)?[\\/][^\s:()'"]*[\\/][^\s:()'"]*(?::\d+){0,2}/g, '…')
}

export interface QueueBoard {
  handle(request: HttpRequest): Promise<HttpResponse>
}

/**
 * Bull Board for the bot's own queues, read-only (no retry, clean, pause, add or delete), on
 * Hono's adapter: its app answers web `Request`s, which our server builds from the request it
 * already read and checked the session of. Only GET reaches it.
 */
export function createQueueBoard(queues: readonly Queue[]): QueueBoard {
  const serverAdapter = new HonoAdapter(serveStatic).setBasePath(queueBoardPath)
  createBullBoard({
    queues: queues.map((queue) => {
      const adapter = new BullMQAdapter(queue, { readOnlyMode: true, allowRetries: false })
      if (queue.name.startsWith('delivery-')) adapter.setFormatter('data', (data: DeliveryJob) => boardViewOfDelivery(data))
      else if (queue.name === 'zalo-inbound') adapter.setFormatter('data', () => ({ event: '(đã mã hoá)' }))
      return adapter
    }),
    serverAdapter,
    options: {
      uiBasePath: dirname(createRequire(import.meta.url).resolve('@bull-board/ui/package.json')),
      uiConfig: { boardTitle: 'SafeSchool — hàng đợi', miscLinks: [{ text: '← Bảng điều khiển', url: '/admin' }] },
    },
  })
  const app = new Hono().route(queueBoardPath, serverAdapter.registerPlugin())

  return {
    async handle(request) {
      const url = new URL(request.path === `${queueBoardPath}/` ? queueBoardPath : request.path, 'http://localhost')
      url.search = request.query.toString()
      const headers = new Headers()
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined && name !== 'cookie') headers.set(name, Array.isArray(value) ? value.join(', ') : value)
      }
      const response = await app.fetch(new Request(url, { method: 'GET', headers }))
      const responseHeaders: Record<string, string> = {
        // The UI's files have hashed names; pages and API answers are not kept anywhere.
        'cache-control': request.path.startsWith(`${queueBoardPath}/static/`) ? 'private, max-age=86400' : 'no-store',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      }
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') responseHeaders[name] = value
      })
      const body = Buffer.from(await response.arrayBuffer())
      if (!responseHeaders['content-type']?.includes('application/json')) return { status: response.status, body, headers: responseHeaders }
      // The body changes length: the board's own Content-Length would leave the browser waiting.
      delete responseHeaders['content-length']
      return { status: response.status, body: JSON.stringify(withoutInternals(JSON.parse(body.toString('utf8')))), headers: responseHeaders }
    },
  }
}
