import { randomInt } from 'node:crypto'
import type { Redis } from 'ioredis'
import { containsAllWords } from '../core/fold.js'
import { chatKey, type ChatRef } from '../core/platform.js'
import type { Keys } from '../store/redis.js'
import type { DirectoryFile } from './directory-file.js'
import type { Group, Officer, School } from './model.js'

/** Letters and digits a person cannot misread: no 0/O, 1/I/L, 2/Z, 5/S, 8/B. */
export const unambiguousAlphabet = 'ACDEFGHJKMNPQRTUVWXY34679'
const registrationCodeTtlSeconds = 7 * 86_400
const maxSchoolQueryLength = 200

function accessChanged(before: Officer, after: Officer): boolean {
  const chats = (officer: Officer) => JSON.stringify(Object.entries(officer.contacts).sort())
  return before.role !== after.role || chats(before) !== chats(after)
}

export function randomCode(length: number): string {
  let code = ''
  for (let i = 0; i < length; i++) code += unambiguousAlphabet[randomInt(unambiguousAlphabet.length)]
  return code
}

export interface ImportSummary {
  schools: number
  officers: number
  removedOfficers: string[]
  schoolsOnlyInRedis: string[]
}

/** Schools, their group chats and the officers, kept in Redis. */
export class Directory {
  constructor(private readonly redis: Redis, private readonly keys: Keys) {}

  private k(...parts: string[]): string {
    return this.keys.key('dir', ...parts)
  }

  async getSchool(code: string): Promise<School | undefined> {
    return parseJson<School>(await this.redis.get(this.k('school', code)))
  }

  async listSchools(): Promise<School[]> {
    const codes = (await this.redis.smembers(this.k('schools'))).sort()
    if (codes.length === 0) return []
    const values = await this.redis.mget(codes.map((code) => this.k('school', code)))
    return values.map((value) => parseJson<School>(value)).filter((s): s is School => s !== undefined)
  }

  /** Schools whose name or code contains every word typed, diacritics optional. */
  async findSchools(query: string, limit = 8): Promise<School[]> {
    // A text longer than any school's name and code names no school: skip the scan over thousands.
    if (query.length > maxSchoolQueryLength) return []
    const schools = await this.listSchools()
    return schools.filter((school) => containsAllWords(`${school.name} ${school.code}`, query)).slice(0, limit)
  }

  async upsertSchool(school: School): Promise<void> {
    await this.redis.multi().set(this.k('school', school.code), JSON.stringify(school)).sadd(this.k('schools'), school.code).exec()
  }

  async getGroup(chat: ChatRef): Promise<Group | undefined> {
    return parseJson<Group>(await this.redis.get(this.groupKey(chat)))
  }

  /** Where a group's record (JSON, with `active` and `inactiveReason`) is kept: the delivery worker reads it in its one Redis step. */
  groupKey(chat: ChatRef): string {
    return this.k('group', chatKey(chat))
  }

  async saveGroup(group: Group): Promise<void> {
    const key = chatKey(group)
    const previous = await this.getGroup(group)
    const tx = this.redis.multi().set(this.k('group', key), JSON.stringify(group)).sadd(this.k('groups'), key)
    if (previous?.schoolCode && previous.schoolCode !== group.schoolCode) tx.srem(this.k('school-groups', previous.schoolCode), key)
    if (group.schoolCode) tx.sadd(this.k('school-groups', group.schoolCode), key)
    await tx.exec()
  }

  /** The bot was added to a chat: remember it, active, keeping any earlier registration. */
  async noteGroupJoined(chat: ChatRef, title?: string): Promise<Group> {
    const previous = await this.getGroup(chat)
    const group: Group = { ...previous, platform: chat.platform, chatId: chat.chatId, title: title ?? previous?.title, active: true, inactiveReason: undefined }
    await this.saveGroup(group)
    return group
  }

  async registerGroup(chat: ChatRef, schoolCode: string, at: Date, title?: string): Promise<Group> {
    const previous = await this.getGroup(chat)
    const group: Group = { ...previous, platform: chat.platform, chatId: chat.chatId, title: title ?? previous?.title, schoolCode, active: true, registeredAt: at.toISOString(), inactiveReason: undefined }
    await this.saveGroup(group)
    return group
  }

  async setGroupAudiences(chat: ChatRef, audiences: Group['audiences']): Promise<Group | undefined> {
    const previous = await this.getGroup(chat)
    if (!previous) return undefined
    const group = { ...previous, audiences }
    await this.saveGroup(group)
    return group
  }

  async deactivateGroup(chat: ChatRef, reason: string): Promise<void> {
    const previous = await this.getGroup(chat)
    if (!previous) return
    await this.saveGroup({ ...previous, active: false, inactiveReason: reason })
  }

  /** A Telegram group became a supergroup: same school, new id. */
  async migrateGroup(chat: ChatRef, newChatId: string): Promise<Group | undefined> {
    const previous = await this.getGroup(chat)
    if (!previous) return undefined
    const moved: Group = { ...previous, chatId: newChatId }
    await this.saveGroup(moved)
    await this.saveGroup({ ...previous, active: false, inactiveReason: `migrated to ${newChatId}` })
    if (previous.schoolCode) await this.redis.srem(this.k('school-groups', previous.schoolCode), chatKey(chat))
    return moved
  }

  async listGroups(filter: { activeOnly?: boolean; registeredOnly?: boolean } = {}): Promise<Group[]> {
    const keys = await this.redis.smembers(this.k('groups'))
    return (await this.loadGroups(keys)).filter(
      (group) => (!filter.activeOnly || group.active) && (!filter.registeredOnly || group.schoolCode !== undefined),
    )
  }

  /**
   * The groups in batches of about `batchSize`, read with SSCAN, so that a planner at 5,000
   * groups holds one batch at a time rather than all of them and everything it builds for them.
   * SSCAN may return a group twice; a group is yielded once.
   */
  async *groupBatches(filter: { activeOnly?: boolean; registeredOnly?: boolean } = {}, batchSize = 250): AsyncGenerator<Group[]> {
    const seen = new Set<string>()
    let cursor = '0'
    do {
      const [next, found] = await this.redis.sscan(this.k('groups'), cursor, 'COUNT', batchSize)
      cursor = next
      const fresh = found.filter((key) => !seen.has(key))
      for (const key of fresh) seen.add(key)
      const groups = (await this.loadGroups(fresh)).filter((group) => (!filter.activeOnly || group.active) && (!filter.registeredOnly || group.schoolCode !== undefined))
      if (groups.length > 0) yield groups
    } while (cursor !== '0')
  }

  /** Several schools in one step; a code with no school is left out. */
  async getSchools(codes: readonly string[]): Promise<Map<string, School>> {
    if (codes.length === 0) return new Map()
    const values = await this.redis.mget(codes.map((code) => this.k('school', code)))
    const schools = new Map<string, School>()
    values.forEach((value, index) => {
      const school = parseJson<School>(value)
      if (school) schools.set(codes[index]!, school)
    })
    return schools
  }

  async groupsOfSchool(schoolCode: string): Promise<Group[]> {
    const keys = await this.redis.smembers(this.k('school-groups', schoolCode))
    return (await this.loadGroups(keys)).filter((group) => group.schoolCode === schoolCode)
  }

  private async loadGroups(keys: string[]): Promise<Group[]> {
    if (keys.length === 0) return []
    const values = await this.redis.mget(keys.sort().map((key) => this.k('group', key)))
    return values.map((value) => parseJson<Group>(value)).filter((g): g is Group => g !== undefined)
  }

  async getOfficer(id: string): Promise<Officer | undefined> {
    return parseJson<Officer>(await this.redis.get(this.k('officer', id)))
  }

  async listOfficers(): Promise<Officer[]> {
    const ids = (await this.redis.smembers(this.k('officers'))).sort()
    if (ids.length === 0) return []
    const values = await this.redis.mget(ids.map((id) => this.k('officer', id)))
    return values.map((value) => parseJson<Officer>(value)).filter((o): o is Officer => o !== undefined)
  }

  async officerByChat(chat: ChatRef): Promise<Officer | undefined> {
    const id = await this.redis.get(this.k('officer-contact', chatKey(chat)))
    return id ? this.getOfficer(id) : undefined
  }

  async coordinators(): Promise<Officer[]> {
    return (await this.listOfficers()).filter((officer) => officer.role === 'coordinator')
  }

  /** Officers are configuration: the file's list replaces the stored one, so a departed officer stops receiving tips. */
  async replaceOfficers(officers: Officer[]): Promise<string[]> {
    const existing = await this.listOfficers()
    const keep = new Set(officers.map((officer) => officer.id))
    const removed = existing.filter((officer) => !keep.has(officer.id))
    const tx = this.redis.multi()
    for (const officer of existing) {
      for (const [platform, chatId] of Object.entries(officer.contacts)) tx.del(this.k('officer-contact', `${platform}:${chatId}`))
    }
    for (const officer of removed) tx.del(this.k('officer', officer.id)).srem(this.k('officers'), officer.id).incr(this.k('officer-access', officer.id))
    const before = new Map(existing.map((officer) => [officer.id, officer]))
    for (const officer of officers) {
      const previous = before.get(officer.id)
      if (previous && accessChanged(previous, officer)) tx.incr(this.k('officer-access', officer.id))
      tx.set(this.k('officer', officer.id), JSON.stringify(officer)).sadd(this.k('officers'), officer.id)
      for (const [platform, chatId] of Object.entries(officer.contacts)) tx.set(this.k('officer-contact', `${platform}:${chatId}`), officer.id)
    }
    await tx.exec()
    return removed.map((officer) => officer.id)
  }

  /**
   * Bumped whenever an officer's role or chats change or the officer is removed: what was granted
   * under an older version (a dashboard session) is void, even if the old role comes back.
   */
  async accessVersion(officerId: string): Promise<number> {
    return Number((await this.redis.get(this.k('officer-access', officerId))) ?? 0)
  }

  async importFile(file: DirectoryFile): Promise<ImportSummary> {
    for (const school of file.schools) await this.upsertSchool(school)
    const removedOfficers = await this.replaceOfficers(
      file.officers.map((officer) => ({ ...officer, contacts: Object.fromEntries(Object.entries(officer.contacts).filter(([, id]) => id !== undefined)) })),
    )
    const inFile = new Set(file.schools.map((school) => school.code))
    const schoolsOnlyInRedis = (await this.redis.smembers(this.k('schools'))).filter((code) => !inFile.has(code)).sort()
    return { schools: file.schools.length, officers: file.officers.length, removedOfficers, schoolsOnlyInRedis }
  }

  /** A one-time code a school's admin types as /dangky <code> in its group. */
  async issueRegistrationCode(schoolCode: string): Promise<string> {
    const code = randomCode(6)
    await this.redis.set(this.k('regcode', code), schoolCode, 'EX', registrationCodeTtlSeconds)
    return code
  }

  async redeemRegistrationCode(code: string): Promise<string | undefined> {
    return (await this.redis.getdel(this.k('regcode', code.trim().toUpperCase()))) ?? undefined
  }
}

function parseJson<T>(value: string | null): T | undefined {
  return value === null ? undefined : (JSON.parse(value) as T)
}
