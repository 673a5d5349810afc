import type { Redis } from 'ioredis'
import { announcementsFeature } from '../handlers/announcements/announcements-feature.js'
import { contentFeature } from '../handlers/content/content-feature.js'
import { deadlinesFeature } from '../handlers/deadlines/deadlines-feature.js'
import { helpFeature, privateStartFallbackFeature, unknownCommandsFeature, unreadableMessagesFeature } from '../handlers/help/help-feature.js'
import { registrationFeature } from '../handlers/registration/registration-feature.js'
import { tipsFeature } from '../handlers/tips/tips-feature.js'
import type { CoreDeps } from './core-deps.js'
import { paths } from './data-paths.js'
import type { Router } from './core/router.js'
import type { OutgoingMessage } from './core/message.js'
import type { DeliveryHooks } from './delivery/delivery-worker.js'
import type { DashboardPage, Feature, FeatureParts } from './feature.js'
import { PlannerTicker, type Planner } from './scheduling/planner-ticker.js'
import type { Route } from './server/http-server.js'
import { isParkedUntilUserWrites } from './platforms/zalo/zalo-window.js'

/**
 * Every feature, in the order its chat handlers are tried: the first handler that takes an
 * update wins. Adding a feature is one line here (see docs/architecture.md).
 */
export const features: readonly Feature[] = [
  // First: no conversation may take a sticker or a voice message for an answer.
  unreadableMessagesFeature,
  registrationFeature,
  // Before tips: /baocao_moi's typed answers are the coordinator's private text.
  deadlinesFeature,
  announcementsFeature,
  // Before help: the tips' private /start and private text handler come first.
  tipsFeature({ waitsForUser: isParkedUntilUserWrites }),
  helpFeature,
  contentFeature,
  privateStartFallbackFeature,
  // Last: a command no feature took.
  unknownCommandsFeature,
]

/** What the registered features give the app, merged. */
export interface Features {
  deliveryHooks: DeliveryHooks
  planners: Planner[]
  /** The features' own pages on the HTTP server (the anonymous web tip page). */
  routes: Route[]
  /** The features' pages of the dashboard, in list order (their tabs follow the dashboard's own). */
  dashboard: DashboardPage[]
  /** Background work of the features (schedules, SLA timers), started in processes that work. */
  start(workerConnection: Redis): Promise<void>
  stop(): Promise<void>
}

export { paths }

/** Registers each feature on the router, in list order, and merges what they run beside it. */
export function registerFeatures(router: Router, deps: CoreDeps, list: readonly Feature[] = features): Features {
  const parts: FeatureParts[] = list.map((feature) => feature.register?.(router, deps) ?? {})
  const planners = parts.flatMap((part) => part.planners ?? [])
  const conditions = Object.assign({}, ...parts.map((part) => part.deliveryConditions ?? {})) as NonNullable<FeatureParts['deliveryConditions']>
  const hooks = parts.map((part) => part.deliveryHooks ?? {})
  let ticker: PlannerTicker | undefined
  return {
    deliveryHooks: {
      shouldDeliver: async (condition) => (conditions[condition.kind] ? conditions[condition.kind]!(condition.ref) : true),
      onUndeliverable: async (job, error) => {
        for (const hook of hooks) await hook.onUndeliverable?.(job, error)
      },
      onDelivered: async (job, messageId) => {
        for (const hook of hooks) await hook.onDelivered?.(job, messageId)
      },
      decorate: async (target, kind, message) => {
        let decorated: OutgoingMessage = message
        for (const hook of hooks) if (hook.decorate) decorated = await hook.decorate(target, kind, decorated)
        return decorated
      },
    },
    planners,
    routes: parts.flatMap((part) => part.routes ?? []),
    dashboard: parts.flatMap((part) => part.dashboard ?? []),
    async start(workerConnection) {
      ticker = new PlannerTicker({ connection: workerConnection, keys: deps.keys, clock: deps.clock, logger: deps.logger, planners, metrics: deps.metrics.planner })
      for (const part of parts) await part.start?.(workerConnection)
      await ticker.start()
    },
    async stop() {
      await ticker?.stop()
      for (const part of [...parts].reverse()) await part.stop?.()
    },
  }
}
