import type { Directory } from '../../src/directory/directory.js'
import type { School } from '../../src/directory/model.js'

/**
 * `schools` schools BENCH-0001… and the groups spread over them, registered through the
 * Directory as /dangky does it (registerGroup), 100 at a time.
 */
export async function registerGroups(directory: Directory, chatIds: string[], schools: number, at: Date): Promise<void> {
  const codes = Array.from({ length: schools }, (_, i) => `BENCH-${String(i + 1).padStart(4, '0')}`)
  for (const code of codes) {
    const school: School = { code, name: `Trường THCS Thử Nghiệm ${code.slice(6)}`, level: 'thcs', ward: 'Phường Bến Nghé' }
    await directory.upsertSchool(school)
  }
  for (let i = 0; i < chatIds.length; i += 100) {
    await Promise.all(chatIds.slice(i, i + 100).map((chatId, j) => directory.registerGroup({ platform: 'telegram', chatId }, codes[(i + j) % codes.length]!, at, `Tổ ANTT ${chatId}`)))
  }
}
