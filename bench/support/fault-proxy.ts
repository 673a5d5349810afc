/**
 * A faulty network in front of the fake Bot API, for the faults scenario. It runs in the fake's
 * process (bench/support/fake-server.ts) and answers a share of the delivery requests badly:
 *
 *  - 'server-error'          500 Internal Server Error at once; Telegram did nothing.
 *  - 'timeout-unprocessed'   the request never reaches Telegram and no answer comes: the client
 *                            gives up after its own timeout (grammY's timeoutSeconds).
 *  - 'timeout-processed'     Telegram sends the message, but the answer is lost: the client
 *                            times out although the message is in the chat. No sender can tell
 *                            this from the previous case (the Bot API has no idempotency key), so
 *                            a retry that follows it is a duplicate every sender would make.
 *
 * Every other request is passed through unchanged. The share is exact (see pick) and the places
 * come from a seeded PRNG, so a run is reproducible; each one is recorded with its chat, so the scenario can tell which duplicates
 * a processed-then-lost answer explains and which it does not.
 */
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { seededRandom } from '../../test/fakes/seeded-random.js'

export type ProxyFaultKind = 'server-error' | 'timeout-unprocessed' | 'timeout-processed'

export interface ProxyFaultOptions {
  /** share of the delivery requests answered badly, 0..1 */
  rate: number
  /** how many of each kind per block of sum(weights) / rate requests; a kind left out never happens */
  weights: Partial<Record<ProxyFaultKind, number>>
  /** PRNG seed (default 7) */
  seed?: number
  /** default: sendMessage, sendPhoto, editMessageText */
  methods?: string[]
  /** how long a "timed out" request is held at most before its connection is cut (default 60 s; the client normally gives up first) */
  holdMs?: number
}

export interface ProxyFaultRecord {
  kind: ProxyFaultKind
  chatId?: string
  at: number
  /** for 'timeout-processed': whether Telegram (the fake) really stored the message */
  processed?: boolean
}

export interface ProxyFaultStats {
  requests: number
  passed: number
  faults: ProxyFaultRecord[]
  /** held requests the client abandoned before holdMs (a client-side timeout) */
  clientGaveUp: number
}

export class FaultProxy {
  private server?: Server
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 })
  private readonly next: () => number
  private readonly held = new Set<ServerResponse>()
  private block: (ProxyFaultKind | undefined)[] = []
  readonly stats: ProxyFaultStats = { requests: 0, passed: 0, faults: [], clientGaveUp: 0 }
  apiRoot = ''

  constructor(
    private readonly upstream: string,
    private readonly options: ProxyFaultOptions,
  ) {
    this.next = seededRandom(options.seed ?? 7)
  }

  async listen(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res))
    server.keepAliveTimeout = 60_000
    this.server = server
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return this
  }

  /**
   * Exact shares, random places: requests come in blocks of sum(weights) / rate (20 for 20 % and
   * weights 2:1:1), and each block holds every kind exactly `weight` times at shuffled positions.
   */
  private pick(): ProxyFaultKind | undefined {
    if (!this.block.length) {
      const kinds = (Object.entries(this.options.weights) as [ProxyFaultKind, number][]).flatMap(([kind, weight]) => Array.from({ length: Math.max(0, Math.round(weight)) }, () => kind))
      if (!kinds.length || this.options.rate <= 0) return undefined
      const size = Math.max(kinds.length, Math.round(kinds.length / this.options.rate))
      this.block = [...kinds, ...Array.from({ length: size - kinds.length }, () => undefined)]
      for (let i = this.block.length - 1; i > 0; i--) {
        const j = Math.floor(this.next() * (i + 1))
        ;[this.block[i], this.block[j]] = [this.block[j], this.block[i]]
      }
    }
    return this.block.pop()
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req)
    this.stats.requests++
    const method = /\/([A-Za-z]+)$/.exec(new URL(req.url ?? '/', 'http://proxy').pathname)?.[1] ?? ''
    const methods = this.options.methods ?? ['sendMessage', 'sendPhoto', 'editMessageText']
    const kind = methods.includes(method) ? this.pick() : undefined
    if (!kind) {
      this.stats.passed++
      const upstream = await this.forward(req, body).catch(() => undefined)
      if (!upstream) return void res.destroy()
      res.writeHead(upstream.status, upstream.headers)
      res.end(upstream.body)
      return
    }
    const record: ProxyFaultRecord = { kind, chatId: chatIdOf(body), at: Date.now() }
    this.stats.faults.push(record)
    if (kind === 'server-error') {
      const text = JSON.stringify({ ok: false, error_code: 500, description: 'Internal Server Error' })
      res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
      res.end(text)
      return
    }
    if (kind === 'timeout-processed') {
      const upstream = await this.forward(req, body).catch(() => undefined)
      record.processed = upstream?.status === 200
    }
    await this.hold(res)
  }

  /** No answer: wait for the client to give up (or holdMs), then cut the connection. */
  private hold(res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      this.held.add(res)
      const done = (gaveUp: boolean) => {
        clearTimeout(timer)
        res.off('close', onClose)
        this.held.delete(res)
        if (gaveUp) this.stats.clientGaveUp++
        res.destroy()
        resolve()
      }
      const onClose = () => done(true)
      const timer = setTimeout(() => done(false), this.options.holdMs ?? 60_000)
      res.on('close', onClose)
    })
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const target = new URL(req.url ?? '/', this.upstream)
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers[name] = value
      headers['content-length'] = String(body.length)
      const upstream = request(target, { method: req.method, headers, agent: this.agent }, (answer) => {
        void readAll(answer).then((data) => {
          const out: Record<string, string> = {}
          for (const [name, value] of Object.entries(answer.headers)) if (typeof value === 'string' && name !== 'connection' && name !== 'keep-alive') out[name] = value
          resolve({ status: answer.statusCode ?? 502, headers: out, body: data })
        }, reject)
      })
      upstream.on('error', reject)
      upstream.end(body)
    })
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy()
    this.agent.destroy()
    const server = this.server
    if (!server) return
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }
}

function chatIdOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { chat_id?: unknown }
    return parsed.chat_id === undefined ? undefined : String(parsed.chat_id)
  } catch {
    return undefined
  }
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => resolve(Buffer.concat(chunks)))
    stream.on('error', reject)
  })
}

