import { foldVietnamese } from './fold.js'
import type { BotAddedEvent, BotRemovedEvent, ButtonEvent, ChatMigratedEvent, IncomingEvent, MessageEvent } from './events.js'
import type { Handler, HandlerContext, MaybeHandler } from './handler.js'
import type { ChatKind } from './platform.js'

type Where = ChatKind | 'any'

interface CommandRoute {
  where: Where
  handler: Handler<MessageEvent>
}

type LifecycleEvent = BotAddedEvent | BotRemovedEvent | ChatMigratedEvent

/**
 * Routes core events to the features that registered for them. Commands are matched with
 * diacritics folded, so "/đăngký" and "/dangky" meet; button data is "<prefix>:<rest>".
 */
export class Router {
  private readonly commands = new Map<string, CommandRoute[]>()
  private readonly buttons = new Map<string, Handler<ButtonEvent>>()
  private readonly lifecycle = new Map<LifecycleEvent['type'], Handler<LifecycleEvent>[]>()
  private readonly messageChain: { where: Where; handler: MaybeHandler<MessageEvent> }[] = []
  private readonly buttonChain: MaybeHandler<ButtonEvent>[] = []

  command(names: string | string[], handler: Handler<MessageEvent>, where: Where = 'any'): this {
    for (const name of [names].flat()) {
      const key = foldVietnamese(name)
      this.commands.set(key, [...(this.commands.get(key) ?? []), { where, handler }])
    }
    return this
  }

  button(prefix: string, handler: Handler<ButtonEvent>): this {
    if (this.buttons.has(prefix)) throw new Error(`button prefix "${prefix}" registered twice`)
    this.buttons.set(prefix, handler)
    return this
  }

  on<T extends LifecycleEvent['type']>(type: T, handler: Handler<Extract<LifecycleEvent, { type: T }>>): this {
    this.lifecycle.set(type, [...(this.lifecycle.get(type) ?? []), handler as Handler<LifecycleEvent>])
    return this
  }

  /** Plain messages (and commands no route took), tried in registration order until one accepts. */
  message(handler: MaybeHandler<MessageEvent>, where: Where = 'any'): this {
    this.messageChain.push({ where, handler })
    return this
  }

  /** Buttons whose prefix has no route of its own, e.g. a conversation's numbered choices. */
  unmatchedButton(handler: MaybeHandler<ButtonEvent>): this {
    this.buttonChain.push(handler)
    return this
  }

  commandNames(): string[] {
    return [...this.commands.keys()]
  }

  async route(ctx: HandlerContext): Promise<boolean> {
    const event = ctx.event
    switch (event.type) {
      case 'message':
        return this.routeMessage(ctx as HandlerContext<MessageEvent>)
      case 'button':
        return this.routeButton(ctx as HandlerContext<ButtonEvent>)
      default: {
        const handlers = this.lifecycle.get(event.type) ?? []
        for (const handler of handlers) await handler(ctx as HandlerContext<LifecycleEvent>)
        return handlers.length > 0
      }
    }
  }

  private async routeMessage(ctx: HandlerContext<MessageEvent>): Promise<boolean> {
    const { command, chat } = ctx.event
    if (command) {
      const routes = (this.commands.get(foldVietnamese(command.name)) ?? []).filter((route) => fits(route.where, chat.kind))
      if (routes[0]) {
        await routes[0].handler(ctx)
        return true
      }
    }
    for (const { where, handler } of this.messageChain) {
      if (fits(where, chat.kind) && (await handler(ctx))) return true
    }
    return false
  }

  private async routeButton(ctx: HandlerContext<ButtonEvent>): Promise<boolean> {
    const prefix = ctx.event.data.split(':', 1)[0]!
    const handler = this.buttons.get(prefix)
    if (handler) {
      await handler(ctx)
      return true
    }
    for (const fallback of this.buttonChain) if (await fallback(ctx)) return true
    return false
  }
}

function fits(where: Where, kind: ChatKind): boolean {
  return where === 'any' || where === kind
}

export type { IncomingEvent }
