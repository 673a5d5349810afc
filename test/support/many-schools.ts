import type { DirectoryFile } from '../../src/directory/directory-file.js'
import type { SchoolLevel } from '../../src/directory/model.js'

export const manyWards = [
  'Phường Lê Chân', 'Phường Ngô Quyền', 'Phường Hồng Bàng', 'Phường An Biên', 'Phường Gia Viên', 'Phường Hải An',
  'Phường Kiến An', 'Phường Đồ Sơn', 'Xã Thủy Nguyên', 'Xã An Dương', 'Xã Tiên Lãng', 'Xã Vĩnh Bảo',
]
const levelMix: SchoolLevel[] = ['mam-non', 'mam-non', 'tieu-hoc', 'tieu-hoc', 'thcs', 'thcs', 'thpt', 'gdtx']
const names: Record<SchoolLevel, string> = {
  'mam-non': 'Trường Mầm non',
  'tieu-hoc': 'Trường Tiểu học',
  thcs: 'Trường THCS',
  thpt: 'Trường THPT',
  gdtx: 'Trung tâm GDNN-GDTX',
  'dh-cd-tc': 'Trường Cao đẳng',
}

/** A department of `count` schools spread over 12 wards and five levels, with one coordinator (Telegram id 100000001). */
export function manySchools(count: number): DirectoryFile {
  const schools = Array.from({ length: count }, (_, i) => {
    const level = levelMix[i % levelMix.length]!
    const n = String(i + 1).padStart(4, '0')
    return { code: `${level.toUpperCase()}-${n}`, name: `${names[level]} số ${i + 1}`, level, ward: manyWards[i % manyWards.length]! }
  })
  return {
    schools,
    officers: [{ id: 'vp-so-gddt', name: 'Nguyễn Thị Lan', role: 'coordinator', schools: ['*'], wards: [], categories: [], contacts: { telegram: '100000001', playground: 'coordinator' } }],
  }
}

