import type { Directory } from '../../directory/directory.js'
import { readDirectoryFile } from '../../directory/directory-file.js'
import type { PlaygroundChat } from './playground-routes.js'

export const demoSchoolCode = 'THCS-NGO-QUYEN'

export const demoPanes: PlaygroundChat[] = [
  { id: 'group-ngo-quyen', title: 'Nhóm “Tổ ANTT — THCS Ngô Quyền”', tab: '👥 Nhóm trường', kind: 'group', user: { id: 'teacher-hanh', name: 'Cô Hạnh, giáo viên chủ nhiệm' } },
  { id: 'student', title: 'Học sinh ↔ bot (riêng)', tab: '🎒 Học sinh', kind: 'private', user: { id: 'student', name: 'một học sinh' } },
  { id: 'officer', title: 'Đầu mối ANTT của trường ↔ bot', tab: '🛡️ Đầu mối', kind: 'private', user: { id: 'officer', name: 'cô Lê Thu Hà, đầu mối ANTT' } },
  { id: 'coordinator', title: 'Văn phòng Sở GD&ĐT ↔ bot', tab: '🏛️ Sở GD&ĐT', kind: 'private', user: { id: 'coordinator', name: 'điều phối viên của Sở' } },
]

/** The example schools, with the focal point and the coordinator reachable in the playground, and one registered group. */
export async function prepareDemoDirectory(directory: Directory, now: Date): Promise<void> {
  const file = readDirectoryFile('schedules/schools.example.yaml')
  await directory.importFile({
    ...file,
    officers: file.officers.map((officer) => {
      if (officer.id === 'dm-ngo-quyen') return { ...officer, contacts: { ...officer.contacts, playground: 'officer' } }
      if (officer.role === 'coordinator') return { ...officer, contacts: { ...officer.contacts, playground: 'coordinator' } }
      return officer
    }),
  })
  const group = demoPanes[0]!
  const existing = await directory.getGroup({ platform: 'playground', chatId: group.id })
  if (!existing?.schoolCode) await directory.registerGroup({ platform: 'playground', chatId: group.id }, demoSchoolCode, now, group.title)
}
