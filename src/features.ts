import type { Redis } from 'ioredis'
import { registerAnnouncementsFeature } from '../handlers/announcements/announcements-feature.js'
import { registerContentFeature } from '../handlers/content/content-feature.js'
import { registerDeadlinesFeature } from '../handlers/deadlines/deadlines-feature.js'
import { commandMenus } from '../handlers/help/command-menus.js'
import { registerHelp, registerPrivateStartFallback } from '../handlers/help/help.js'
import { registerUnknownCommands, registerUnreadableMessages } from '../handlers/help/not-understood.js'
import { registerGroupRegistration } from '../handlers/registration/group-registration.js'
import { registerTipsFeature } from '../handlers/tips/tips-feature.js'
import type { CoreDeps } from './core-deps.js'
import { paths } from './data-paths.js'
import { createContentPlanner } from './content/content-planner.js'
import { loadContentLibrary } from './content/content-library.js'
import { readPostingSchedule } from './content/posting-schedule.js'
import { RotationState } from './content/rotation-state.js'
import { AnnouncementDrafts } from './announcements/announcement-drafts.js'
import { AnnouncementStore } from './announcements/announcement-store.js'
import { DeadlineDrafts } from './deadlines/deadline-drafts.js'
import { DeadlineStore } from './deadlines/deadline-store.js'
import { CommandMenuSync } from './directory/command-menu-sync.js'
import { loadDeadlineCalendar } from './deadlines/known-deadlines.js'
import { createReminderPlanner, deadlineOpenCondition, reminderConditionKind } from './deadlines/reminder-planner.js'
import { isParkedUntilUserWrites } from './platforms/zalo/zalo-window.js'
import { RegistrationAttempts } from './directory/registration-attempts.js'
import { loadEmergencyRules } from './tips/emergency.js'
import { loadTipResponseTimes, tipResponseWarnings } from './tips/tip-response.js'
import { localDateOf } from './core/vn-time.js'
import type { Router } from './core/router.js'
import type { DeliveryHooks } from './delivery/delivery-worker.js'
import { PlannerTicker, type Planner } from './scheduling/planner-ticker.js'
import type { Route } from './server/http-server.js'
import { resolveStoredPhoto } from './web-tips/stored-photos.js'
import { webTipBaseFor } from './tips/web-tip-link.js'
import { webTipRoutes } from './web-tips/web-tip-routes.js'

export interface Features {
  deliveryHooks: DeliveryHooks
  planners: Planner[]
  /** The features' own pages on the HTTP server (the anonymous web tip page). */
  routes: Route[]
  /** Background work of the features (schedules, SLA timers), started in processes that work. */
  start(workerConnection: Redis): Promise<void>
  stop(): Promise<void>
}

export { paths }

/** Every feature, in the order its routes should be tried. */
export function registerFeatures(router: Router, deps: CoreDeps): Features {
  const planners: Planner[] = []
  const conditions: Record<string, (ref: string) => Promise<boolean>> = {}
  registerUnreadableMessages(router)
  registerGroupRegistration(router, { directory: deps.directory, attempts: new RegistrationAttempts(deps.redis, deps.keys) })

  // Before tips: /baocao_moi's typed answers come from the coordinator, whose private text tips would otherwise take.
  const deadlineStore = new DeadlineStore(deps.redis, deps.keys)
  const calendar = loadDeadlineCalendar(paths.reportingCalendar)
  registerDeadlinesFeature(router, { directory: deps.directory, store: deadlineStore, drafts: new DeadlineDrafts(deps.redis, deps.keys), calendar })
  planners.push(createReminderPlanner({ directory: deps.directory, outbox: deps.outbox, store: deadlineStore, calendar, logger: deps.logger }))
  conditions[reminderConditionKind] = deadlineOpenCondition(deadlineStore, { clock: deps.clock, directory: deps.directory })

  registerAnnouncementsFeature(router, { directory: deps.directory, outbox: deps.outbox, store: new AnnouncementStore(deps.redis, deps.keys), drafts: new AnnouncementDrafts(deps.redis, deps.keys) })

  // Tips first: its private /start must precede the help fallback, its private text handler everything else.
  const responseTimes = loadTipResponseTimes(paths.tipResponse)
  for (const warning of tipResponseWarnings(responseTimes, localDateOf(deps.clock.now()), paths.tipResponse)) deps.logger.warn(warning)
  const emergencyRules = loadEmergencyRules(paths.emergencyKeywords)
  const webTipBase = webTipBaseFor(deps.config.publicUrl)
  const tips = registerTipsFeature(router, {
    ...deps,
    tips: deps.config.tips,
    emergencyRules,
    responseTimes,
    publicUrl: deps.config.publicUrl,
    webTipBase,
    waitsForUser: isParkedUntilUserWrites,
    removeFailedDeliveries: (before) => deps.outbox.removeFailedPrivate([...deps.channels.keys()], before),
  })
  planners.push(...tips.planners)
  // The web tip page files through the same tips feature: same store, routing, SLA.
  const routes = webTipRoutes({ ...deps, store: tips.store, sla: tips.sla, reachability: tips.reachability, responseTimes, emergencyRules, retentionDays: deps.config.tips.retentionDays, publicUrl: deps.config.publicUrl })
  registerHelp(router, { directory: deps.directory, webTipBase })
  const menus = new CommandMenuSync({ ...deps, menusFor: commandMenus })
  planners.push(menus)

  const library = loadContentLibrary(paths.content)
  if (library.errors.length) deps.logger.warn({ broken: library.errors.length }, 'some awareness posts are broken and will not be sent; run npm run content:check')
  const posts = library.posts
  const schedule = readPostingSchedule(paths.postingSchedule)
  const rotation = new RotationState(deps.redis, deps.keys)
  registerContentFeature(router, { directory: deps.directory, rotation, posts, schedule })
  planners.push(createContentPlanner({ directory: deps.directory, outbox: deps.outbox, rotation, posts, schedule, logger: deps.logger }))

  registerPrivateStartFallback(router, { directory: deps.directory })
  registerUnknownCommands(router)

  let ticker: PlannerTicker | undefined
  return {
    deliveryHooks: {
      shouldDeliver: async (condition) => (conditions[condition.kind] ? conditions[condition.kind]!(condition.ref) : true),
      onUndeliverable: (job, error) => tips.hooks.onUndeliverable(job, error),
      onDelivered: (job, messageId) => tips.hooks.onDelivered(job, messageId),
      decorate: async (target, kind, message) => resolveStoredPhoto(deps.redis, deps.keys, await tips.hooks.decorate(target, kind, message)),
    },
    planners,
    routes,
    async start(workerConnection) {
      ticker = new PlannerTicker({ connection: workerConnection, keys: deps.keys, clock: deps.clock, logger: deps.logger, planners, metrics: deps.metrics.planner })
      await menus.publish({ force: true }).catch((error: Error) => deps.logger.warn({ err: error.message }, 'command menus: publishing failed; the next tick retries'))
      await ticker.start()
      await tips.start(workerConnection)
    },
    async stop() {
      await ticker?.stop()
      await tips.stop()
    },
  }
}
