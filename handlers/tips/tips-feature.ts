import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Clock } from '../../src/core/clock.js'
import type { ButtonEvent, MessageEvent } from '../../src/core/events.js'
import type { HandlerContext } from '../../src/core/handler.js'
import type { Router } from '../../src/core/router.js'
import type { Outbox } from '../../src/delivery/outbox.js'
import type { Directory } from '../../src/directory/directory.js'
import type { Planner } from '../../src/scheduling/planner-ticker.js'
import type { Keys } from '../../src/store/redis.js'
import { detectEmergency, loadEmergencyRules, type EmergencyMatch, type EmergencyRules } from '../../src/tips/emergency.js'
import { IdentityCipher } from '../../src/tips/identity-cipher.js'
import { normalizeReceiptCode } from '../../src/tips/receipt-code.js'
import { schoolCodeFromStartPayload, tipDeepLinkButton } from '../../src/tips/tip-deep-link.js'
import { createTipDeliveryHooks, type TipDeliveryHookDeps, type TipDeliveryHooks } from '../../src/tips/tip-delivery-hooks.js'
import { TipLimits, type TipLimitSettings } from '../../src/tips/tip-limits.js'
import { tipMessages as say } from '../../src/tips/tip-messages.js'
import { officerButtonPrefix } from '../../src/tips/tip-notifier.js'
import type { TipResponseTimes } from '../../src/tips/tip-response.js'
import { createTipRetentionPlanner } from '../../src/tips/tip-retention.js'
import { TipSessions } from '../../src/tips/tip-sessions.js'
import { createTipSla, type TipSla } from '../../src/tips/tip-sla.js'
import { TipStore } from '../../src/tips/tip-store.js'
import { TipCards } from '../../src/tips/tip-cards.js'
import { OfficerReachability } from '../../src/directory/officer-reachability.js'
import { purgeWebTipRecords, WebThread } from '../../src/tips/web-thread.js'
import { webTipBaseFor, type WebTipBase } from '../../src/tips/web-tip-link.js'
import { paths } from '../../src/data-paths.js'
import type { Feature } from '../../src/feature.js'
import { localDateOf } from '../../src/core/vn-time.js'
import { tipAdminCommands, tipCommandsUsage } from '../../src/tips/tip-commands.js'
import { loadTipResponseTimes, tipResponseWarnings } from '../../src/tips/tip-response.js'
import { resolveStoredPhoto } from '../../src/web-tips/stored-photos.js'
import { webTipRoutes } from '../../src/web-tips/web-tip-routes.js'
import { officerRoleLabels, type School } from '../../src/directory/model.js'
import { privateHelp } from '../help/messages.js'
import { handleOfficerButton, handleOfficerPendingText, noteOfficerWrote } from './officer-actions.js'
import { askAfterClosed, continueWithButton, continueWithMessage, conversationButtonPrefix, startConversation } from './tip-conversation.js'
import { additionButtonPrefix, continueAdding, onAdditionButton, onAdditionCommand } from './tip-additions.js'
import { isOpen } from '../../src/tips/tip.js'
import { showTipProgress } from './tip-follow-up.js'
import { showTipStatistics } from './tip-stats-command.js'
import { relayTipsterAnswer } from './tipster-answers.js'
import { answerEmergencyFirst, eventChat, isFlooding, pseudonymOf, type TipsContext } from './tips-context.js'

export interface TipsFeatureDeps {
  redis: Redis
  keys: Keys
  clock: Clock
  logger: Logger
  directory: Directory
  outbox: Pick<Outbox, 'send' | 'edit'>
  /** config.tips: without a key (no platform token configured) a random one is made for this process. */
  tips: { encryptionKey?: Buffer; retentionDays: number }
  /** Default: content/tips/emergency-keywords.yaml. */
  emergencyRules?: EmergencyRules
  /** Grades a message's danger; detectEmergency with emergencyRules unless given (tests drive each level with it). */
  triage?: (text: string) => EmergencyMatch | null
  /** Acknowledgement and reminder times and the working calendar: loadTipResponseTimes(), schedules/tip-response.yaml. */
  responseTimes: TipResponseTimes
  limits?: TipLimitSettings
  /** A platform's "kept until the user writes" rule for failed messages (Zalo's window); none by default. */
  waitsForUser?: TipDeliveryHookDeps['waitsForUser']
  /** For the retention purge: removes failed private delivery jobs created before the date. */
  removeFailedDeliveries?: (before: Date) => Promise<number>
  /** PUBLIC_URL, for the web tip page offered on Zalo. */
  publicUrl?: string
  /** Where the web tip page is, for the link beside the chat link on group messages. */
  webTipBase?: WebTipBase
}

export interface TipsFeature {
  /** SLA safety net and retention purge, for the PlannerTicker. */
  planners: Planner[]
  /** Merge into the delivery worker's hooks: tells the officer when the tipster cannot be reached; puts the tip link on group messages. */
  hooks: TipDeliveryHooks
  store: TipStore
  sla: TipSla
  /** Who the bot cannot reach: every door that files a tip passes them over. */
  reachability: OfficerReachability
  /** Starts the SLA worker (processes that work). */
  start(workerConnection: Redis): Promise<void>
  stop(): Promise<void>
}

/**
 * Anonymous tips by chat and by the web tip page (same store, routing and SLA), the SLA and
 * retention planners, and `stats`, `tips audit` on the CLI. Before the help feature in the list:
 * its private /start and private text handler must win over the help's /start fallback.
 * `waitsForUser` is the platforms' word on a failed send that is kept for the user's next message
 * (Zalo's window): the composition root passes it, as handlers do not reach into platforms.
 */
export const tipsFeature = (options: { waitsForUser?: TipsFeatureDeps['waitsForUser'] } = {}): Feature => ({
  name: 'tips',
  register(router, deps) {
    const responseTimes = loadTipResponseTimes(paths.tipResponse)
    for (const warning of tipResponseWarnings(responseTimes, localDateOf(deps.clock.now()), paths.tipResponse)) deps.logger.warn(warning)
    const emergencyRules = loadEmergencyRules(paths.emergencyKeywords)
    const publicUrl = deps.config.publicUrl
    const tips = registerTipsFeature(router, {
      ...deps,
      tips: deps.config.tips,
      emergencyRules,
      responseTimes,
      publicUrl,
      webTipBase: webTipBaseFor(publicUrl),
      waitsForUser: options.waitsForUser,
      removeFailedDeliveries: (before) => deps.outbox.removeFailedPrivate([...deps.channels.keys()], before),
    })
    return {
      routes: webTipRoutes({ ...deps, store: tips.store, sla: tips.sla, reachability: tips.reachability, responseTimes, emergencyRules, retentionDays: deps.config.tips.retentionDays, publicUrl, trustedProxies: deps.config.trustedProxies }),
      planners: tips.planners,
      deliveryHooks: {
        onUndeliverable: (job, error) => tips.hooks.onUndeliverable(job, error),
        onDelivered: (job, messageId) => tips.hooks.onDelivered(job, messageId),
        // A web tipster's photo, stored by reference, is attached as it goes out.
        decorate: async (target, kind, message) => resolveStoredPhoto(deps.redis, deps.keys, await tips.hooks.decorate(target, kind, message)),
      },
      start: (workerConnection) => tips.start(workerConnection),
      stop: () => tips.stop(),
    }
  },
  cli: { commands: tipAdminCommands, usage: tipCommandsUsage },
})

/**
 * Anonymous incident tips: the tipster's conversation (/start, /baotin, or any private text),
 * officers' buttons and answers, /theodoi, /thongke. Register it before the help feature's
 * private /start fallback and before anything else that consumes private text.
 */
export function registerTipsFeature(router: Router, deps: TipsFeatureDeps): TipsFeature {
  const store = new TipStore(deps.redis, deps.keys)
  const cipher = new IdentityCipher(encryptionKeyOf(deps))
  const reachability = new OfficerReachability(deps.redis, deps.keys)
  const emergencyRules = deps.emergencyRules ?? loadEmergencyRules()
  const cards = new TipCards(deps.redis, deps.keys, deps.directory, (to, messageId, message, options) => deps.outbox.edit(to, messageId, message, options), deps.logger)
  const sla = createTipSla({
    store,
    directory: deps.directory,
    outbox: deps.outbox,
    connection: deps.redis,
    keys: deps.keys,
    clock: deps.clock,
    logger: deps.logger,
    responseTimes: deps.responseTimes,
    reachability,
    cipher,
    cards,
  })
  const context: TipsContext = {
    store,
    sessions: new TipSessions(deps.redis, deps.keys),
    limits: new TipLimits(deps.redis, deps.keys, deps.limits),
    cipher,
    reachability,
    cards,
    directory: deps.directory,
    sla,
    emergencyRules,
    triage: deps.triage ?? ((text) => detectEmergency(emergencyRules, text)),
    clock: deps.clock,
    logger: deps.logger,
    responseTimes: deps.responseTimes,
    publicUrl: deps.publicUrl,
    webThread: new WebThread(deps.redis, deps.keys),
  }

  router.command('start', (ctx) => onPrivateStart(ctx, context), 'private')
  router.command(['baotin', 'bao_tin'], (ctx) => onReportCommand(ctx, context))
  router.command(['theodoi', 'theo_doi'], (ctx) => onFollowUpCommand(ctx, context))
  router.command(['thongke', 'thong_ke'], (ctx) => showTipStatistics(ctx, context))
  router.command(['bosung', 'bo_sung'], (ctx) => onAdditionCommand(ctx, context), 'private')
  router.button(additionButtonPrefix, (ctx) => onAdditionButton(ctx, context))
  router.button(conversationButtonPrefix, (ctx) => onConversationButton(ctx, context))
  router.button(officerButtonPrefix, (ctx) => handleOfficerButton(ctx, context))
  router.message((ctx) => onPrivateMessage(ctx, context), 'private')

  return {
    planners: [
      sla.planner,
      createTipRetentionPlanner({
        store,
        retentionDays: deps.tips.retentionDays,
        logger: deps.logger,
        removeFailedDeliveries: deps.removeFailedDeliveries,
        onPurged: (tipId) => purgeWebTipRecords(deps.redis, deps.keys, tipId),
      }),
    ],
    hooks: createTipDeliveryHooks({ store, directory: deps.directory, outbox: deps.outbox, clock: deps.clock, logger: deps.logger, reachability, cards, sla, webTipBase: deps.webTipBase, waitsForUser: deps.waitsForUser }),
    store,
    sla,
    reachability,
    start: (workerConnection) => sla.start(workerConnection),
    stop: () => sla.stop(),
  }
}

function encryptionKeyOf(deps: TipsFeatureDeps): Buffer {
  if (deps.tips.encryptionKey) return deps.tips.encryptionKey
  // The config insists on a key whenever a platform token is set; without one nobody can file a
  // real tip, so a throwaway key is safe. Sealed ids will not open after a restart.
  deps.logger.warn('TIP_ENCRYPTION_KEY is not set: using a random key for this process only; tipsters cannot be written back to after a restart')
  return randomBytes(32)
}

/** /start: the tip conversation (the group's deep link names the school); officers get their own greeting. */
async function onPrivateStart(ctx: HandlerContext<MessageEvent>, deps: TipsContext): Promise<void> {
  const payload = ctx.event.command?.args ?? ''
  // Another feature's deep link has no tips business: show the help, as the fallback would.
  if (payload !== '' && !payload.startsWith('tip')) return ctx.reply({ text: privateHelp })
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  if (officer) await noteOfficerWrote(deps, officer, ctx.event.chat.platform)
  if (officer && payload === '') return ctx.reply({ text: say.officerStart(officer.name, officerRoleLabels[officer.role]) })
  const pseudonym = pseudonymOf(deps, eventChat(ctx.event))
  if (await isFlooding(ctx, deps, pseudonym, officer)) return
  const restarted = (await deps.sessions.getDraft(pseudonym)) !== undefined
  await startConversation(ctx, deps, { pseudonym, schoolCode: schoolCodeFromStartPayload(payload), restarted })
}

/** /baotin: in a group, a button to the private chat (bound to the group's school); in private, a new tip. */
async function onReportCommand(ctx: HandlerContext<MessageEvent>, deps: TipsContext): Promise<void> {
  if (ctx.event.chat.kind === 'group') {
    const group = await deps.directory.getGroup(ctx.event.chat)
    const button = group?.schoolCode ? tipDeepLinkButton(group.schoolCode) : { kind: 'deeplink' as const, label: say.deepLinkLabel, payload: 'tip' }
    return ctx.reply({ text: say.useGroupDeepLink, buttons: [[button]] })
  }
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  const pseudonym = pseudonymOf(deps, eventChat(ctx.event))
  if (await isFlooding(ctx, deps, pseudonym, officer)) return
  const restarted = (await deps.sessions.getDraft(pseudonym)) !== undefined
  const args = ctx.event.command?.args ?? ''
  // Zalo has no deep links: its group messages say "/baotin THCS-NGO-QUYEN", which must work as the link does.
  const school = args ? await schoolNamedByCode(deps, args) : undefined
  // A code no longer in the directory (an old message) is no description: ask for the school.
  if (school || !args || looksLikeSchoolCode(args)) return startConversation(ctx, deps, { pseudonym, schoolCode: school?.code, restarted })
  // "/baotin ngô quyền" names a school; "/baotin có người lạ ở cổng" already says what happened.
  const emergency = await answerEmergencyFirst(ctx, deps, args)
  if (!emergency && (await deps.directory.findSchools(args, 1)).length > 0) return startConversation(ctx, deps, { pseudonym, schoolQuery: args, restarted })
  await startConversation(ctx, deps, { pseudonym, initialText: args, emergency, restarted })
}

/** "THCS-NGO-QUYEN", "thcs-ngo-quyen" or the deep link's own "tip-THCS-NGO-QUYEN", typed after /baotin. */
async function schoolNamedByCode(deps: TipsContext, typed: string): Promise<School | undefined> {
  return looksLikeSchoolCode(typed) ? deps.directory.getSchool(typed.trim().replace(/^tip-/i, '').toUpperCase()) : undefined
}

/** One word of letters and digits joined by dashes: "THCS-NGO-QUYEN", not "ngô quyền". */
function looksLikeSchoolCode(typed: string): boolean {
  return /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+$/.test(typed.trim())
}

async function onFollowUpCommand(ctx: HandlerContext<MessageEvent>, deps: TipsContext): Promise<void> {
  if (ctx.event.chat.kind === 'private') {
    const officer = await deps.directory.officerByChat(ctx.event.chat)
    if (await isFlooding(ctx, deps, pseudonymOf(deps, eventChat(ctx.event)), officer)) return
  }
  await showTipProgress(ctx, deps, ctx.event.command?.args ?? '')
}

async function onConversationButton(ctx: HandlerContext<ButtonEvent>, deps: TipsContext): Promise<void> {
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  const pseudonym = pseudonymOf(deps, eventChat(ctx.event))
  if (await isFlooding(ctx, deps, pseudonym, officer)) return
  const draft = await deps.sessions.getDraft(pseudonym)
  if (!draft) {
    ctx.toast(say.staleButton)
    return ctx.reply({ text: say.expired })
  }
  await continueWithButton(ctx, deps, pseudonym, draft)
}

/**
 * Private text, in this order: an officer's pending answer; a tip being written; an answer to an
 * officer's question; an addition to an open tip ("Bổ sung"); a bare receipt code; otherwise a
 * new tip, with the text kept as its description (after asking, when the tipster's last tip was
 * closed; never for danger). Officers' other text and unknown commands are left to other features.
 */
async function onPrivateMessage(ctx: HandlerContext<MessageEvent>, deps: TipsContext): Promise<boolean> {
  const officer = await deps.directory.officerByChat(ctx.event.chat)
  if (officer) await noteOfficerWrote(deps, officer, ctx.event.chat.platform)
  if (officer && (await handleOfficerPendingText(ctx, deps, officer))) return true
  const pseudonym = pseudonymOf(deps, eventChat(ctx.event))
  const draft = await deps.sessions.getDraft(pseudonym)
  const text = ctx.event.text.trim()
  if (!draft && (officer || text.startsWith('/'))) return officer ? relayTipsterAnswer(ctx, deps, pseudonym) : false
  if (await isFlooding(ctx, deps, pseudonym, officer)) return true
  if (draft) {
    await continueWithMessage(ctx, deps, pseudonym, draft)
    return true
  }
  if (await relayTipsterAnswer(ctx, deps, pseudonym)) return true
  const adding = await deps.sessions.getAdding(pseudonym)
  if (adding) {
    await continueAdding(ctx, deps, pseudonym, adding, text, ctx.event.photos)
    return true
  }
  const code = looksLikeReceiptCode(text) ? normalizeReceiptCode(text) : undefined
  if (code && ctx.event.photos.length === 0) {
    await showTipProgress(ctx, deps, code)
    return true
  }
  const emergency = await answerEmergencyFirst(ctx, deps, text)
  const closed = emergency ? undefined : await lastTipClosed(deps, pseudonym)
  if (closed) await askAfterClosed(ctx, deps, pseudonym, closed, text, ctx.event.photos)
  else await startConversation(ctx, deps, { pseudonym, initialText: text, photos: ctx.event.photos, emergency })
  return true
}

/** The tipster's last tip, when it has been closed (and not yet purged). */
async function lastTipClosed(deps: TipsContext, pseudonym: string): Promise<string | undefined> {
  const id = await deps.sessions.getLastTip(pseudonym)
  const tip = id ? await deps.store.get(id) : undefined
  return tip && !isOpen(tip) && !tip.purgedAt ? tip.id : undefined
}

/** "ABCD-EFGH", "abcd-efgh", "ABCDEFGH": a code as shown or copied; an ordinary lower-case word is not one. */
function looksLikeReceiptCode(text: string): boolean {
  return /^[A-Za-z0-9]{4}[\s\-‐‑‒–—_][A-Za-z0-9]{4}$/.test(text) || /^[A-Z0-9]{8}$/.test(text)
}
