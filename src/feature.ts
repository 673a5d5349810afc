import type { Redis } from 'ioredis'
import type { CliCommand } from './cli-command.js'
import type { Router } from './core/router.js'
import type { CoreDeps } from './core-deps.js'
import type { ConditionVerdict } from './core/delivery-request.js'
import type { DeliveryHooks } from './delivery/delivery-worker.js'
import type { Planner } from './scheduling/planner-ticker.js'
import type { HttpRequest, Route } from './server/http-server.js'

export type { CliCommand, CliContext } from './cli-command.js'

/**
 * A feature says, in one object, everything it adds to the bot: its chat handlers, HTTP pages,
 * planners, delivery hooks, background work and admin CLI commands. The composition root
 * (src/features.ts) lists the features; app.ts and the CLI go through that list and name none.
 * This file sits below both: features import it, it imports no feature.
 */
export interface Feature {
  /** Short and fixed: it names the feature in logs. */
  readonly name: string
  /**
   * Adds the feature's handlers to the router and builds what runs beside them. Called once per
   * process that receives, in the order of the list: a handler registered earlier wins (the tips'
   * private text handler comes before the help's /start fallback).
   */
  register?(router: Router, deps: CoreDeps): FeatureParts
  /** `npm run admin -- <name> …`: commands run by the CLI, which builds no bot (no router, no queues). */
  readonly cli?: FeatureCli
}

/** What a feature runs beside its chat handlers; every part optional. */
export interface FeatureParts {
  /** Pages on the HTTP server (the anonymous web tip page). */
  routes?: Route[]
  /** Run by the planner ticker every 5 minutes, in processes that work. */
  planners?: Planner[]
  /**
   * Whether a queued message of this kind of condition still holds when its turn comes (a
   * reminder for a deadline the school has confirmed meanwhile is dropped).
   */
  deliveryConditions?: Record<string, (ref: string) => Promise<ConditionVerdict>>
  /** The delivery worker's hooks; each feature's run in list order, `decorate` chained. */
  deliveryHooks?: Omit<DeliveryHooks, 'shouldDeliver'>
  /** Pages of the dashboard at /admin, each with its tab, behind the coordinator's sign-in. */
  dashboard?: DashboardPage[]
  /** Background work (SLA timers, command menus), started in processes that work. */
  start?(workerConnection: Redis): Promise<void>
  stop?(): Promise<void>
}

export interface FeatureCli {
  commands: Record<string, CliCommand>
  /** Its lines in `npm run admin` with no command, indented two spaces, in Vietnamese. */
  usage: string
}

export interface DashboardTab {
  href: string
  label: string
}

/**
 * A page of the dashboard: its tab and its routes. The dashboard checks the coordinator's
 * session first and adds its headers (CSP, no-store); the page only renders (src/server/admin's
 * signedInPage, given the viewer's `nav`) or redirects.
 */
export interface DashboardPage {
  tab: DashboardTab
  routes: DashboardRoute[]
}

export interface DashboardRoute {
  method: 'GET' | 'POST'
  path: string
  handle(request: HttpRequest, viewer: DashboardViewer): Promise<DashboardAnswer>
}

export interface DashboardViewer {
  /** The signed-in coordinator's name, for the page's header. */
  officerName: string
  /** Every tab of the dashboard, for the page's header. */
  nav: readonly DashboardTab[]
}

export type DashboardAnswer = { status: number; html: string } | { redirect: string }
