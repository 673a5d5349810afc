import { describe, expect, it } from 'vitest'
import type { IncomingEvent, MessageEvent } from '../../src/core/events.js'
import { parseCommand } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import type { OutgoingMessage } from '../../src/core/message.js'
import { Router } from '../../src/core/router.js'

function context(event: IncomingEvent, replies: string[]): HandlerContext {
  return {
    event,
    now: new Date(),
    reply: async (message: OutgoingMessage) => void replies.push(message.text),
    edit: async () => undefined,
    send: async () => undefined,
    toast: () => undefined,
    isSenderChatAdmin: async () => false,
  }
}

function message(text: string, kind: 'private' | 'group' = 'private'): MessageEvent {
  return {
    type: 'message',
    eventId: 'e1',
    chat: { platform: 'telegram', chatId: kind === 'group' ? '-100' : '7', kind },
    from: { platform: 'telegram', userId: '7' },
    messageId: '1',
    text,
    photos: [],
    command: parseCommand(text),
  }
}

describe('parseCommand', () => {
  it('reads commands with a bot mention and arguments', () => {
    expect(parseCommand('/dangky@safe_school_bot  K7QX3M ')).toEqual({ name: 'dangky', args: 'K7QX3M' })
    expect(parseCommand('/HELP')).toEqual({ name: 'help', args: '' })
    expect(parseCommand('hello /help')).toBeUndefined()
  })
})

describe('Router', () => {
  it('routes a command by chat kind, and falls through to message handlers in order', async () => {
    const replies: string[] = []
    const router = new Router()
      .command('start', async (ctx) => ctx.reply({ text: 'group start' }), 'group')
      .command('start', async (ctx) => ctx.reply({ text: 'private start' }), 'private')
      .message(async () => false)
      .message(async (ctx) => {
        await ctx.reply({ text: `free text: ${ctx.event.text}` })
        return true
      })
    await router.route(context(message('/start', 'group'), replies))
    await router.route(context(message('/start'), replies))
    await router.route(context(message('xin chào'), replies))
    await router.route(context(message('/unknown'), replies))
    expect(replies).toEqual(['group start', 'private start', 'free text: xin chào', 'free text: /unknown'])
  })

  it('routes buttons by the prefix of their data and refuses a prefix twice', async () => {
    const seen: string[] = []
    const router = new Router().button('dl', async (ctx) => void seen.push(ctx.event.data))
    const handled = await router.route(
      context({ type: 'button', eventId: 'b', chat: { platform: 'telegram', chatId: '-1', kind: 'group' }, from: { platform: 'telegram', userId: '1' }, data: 'dl:sent:q1' }, []),
    )
    expect(handled).toBe(true)
    expect(seen).toEqual(['dl:sent:q1'])
    expect(() => router.button('dl', async () => undefined)).toThrow(/registered twice/)
  })
})
