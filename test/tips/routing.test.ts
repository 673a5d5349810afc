import { describe, expect, it } from 'vitest'
import type { Officer, OfficerRole, School } from '../../src/directory/model.js'
import { officersNamedIn, routeTip } from '../../src/tips/routing.js'

const school: School = { code: 'THCS-NGO-QUYEN', name: 'Trường THCS Ngô Quyền', level: 'thcs', ward: 'Phường Ngô Quyền' }

function officer(id: string, role: OfficerRole, name: string, extra: Partial<Officer> = {}): Officer {
  return { id, name, role, schools: [], wards: [], categories: [], contacts: { telegram: id }, ...extra }
}

const anyDrugs = officer('any-drugs', 'officer', 'Hoàng Minh Tuấn', { schools: ['*'], categories: ['ma-tuy'] })
const anyAll = officer('any-all', 'officer', 'Vũ Thị Bình', { schools: ['*'] })
const drugs = officer('drugs', 'officer', 'Đỗ Văn An', { schools: ['THCS-NGO-QUYEN'], categories: ['Ma túy'] })
const otherSchool = officer('other-school', 'officer', 'Trịnh Công Sơn', { schools: ['THPT-TRAN-PHU'] })
const focal = officer('focal', 'focal-point', 'Lê Thu Hà', { schools: ['THCS-NGO-QUYEN'] })
const otherFocal = officer('other-focal', 'focal-point', 'Ngô Bảo Châu', { schools: ['THPT-TRAN-PHU'] })
const police = officer('police', 'ward-police', 'Phạm Quốc Hùng', { wards: ['ngo quyen'] })
const otherPolice = officer('other-police', 'ward-police', 'Trần Văn Minh', { wards: ['Phường Lê Chân'] })
const coordinator = officer('coordinator', 'coordinator', 'Nguyễn Thị Lan', { schools: ['*'] })
const everyone = [coordinator, otherPolice, police, otherFocal, focal, otherSchool, anyAll, anyDrugs, drugs]

function ids(officers: Officer[]): string[] {
  return officers.map((o) => o.id)
}

describe('routeTip', () => {
  it('goes to case officers (named school and category first), the focal point, ward police, then coordinators', () => {
    expect(ids(routeTip({ school, category: 'ma-tuy', text: 'có bạn hút thuốc lá điện tử' }, everyone))).toEqual(['drugs', 'any-drugs', 'any-all', 'focal', 'police', 'coordinator'])
  })

  it('leaves out case officers of other categories and other schools', () => {
    expect(ids(routeTip({ school, category: 'bao-luc', text: 'đánh nhau ở nhà xe' }, everyone))).toEqual(['any-all', 'focal', 'police', 'coordinator'])
  })

  it('takes the category as a label typed without diacritics too', () => {
    expect(ids(routeTip({ school, category: 'ma tuy', text: '' }, everyone))[0]).toBe('drugs')
  })

  it.each([
    ['no case officer: the focal point', [focal, police, coordinator], ['focal', 'police', 'coordinator']],
    ['no focal point: the ward police', [otherFocal, police, otherPolice, coordinator], ['police', 'coordinator']],
    ['nobody local: the coordinators', [otherSchool, otherFocal, otherPolice, coordinator], ['coordinator']],
    ['no coordinator at all', [otherSchool, otherFocal, otherPolice], []],
  ])('falls back level by level: %s', (_, officers, expected) => {
    expect(ids(routeTip({ school, category: 'khac', text: '' }, officers))).toEqual(expected)
  })

  it('matches the ward however it was typed', () => {
    for (const ward of ['Phường Ngô Quyền', 'P. Ngô Quyền', 'NGO QUYEN', 'phuong ngo quyen']) {
      expect(ids(routeTip({ school, category: 'khac', text: '' }, [officer('p', 'ward-police', 'Cao Văn Lâm', { wards: [ward] })]))).toEqual(['p'])
    }
    expect(ids(routeTip({ school, category: 'khac', text: '' }, [officer('p', 'ward-police', 'Cao Văn Lâm', { wards: ['Phường Ngô Mây'] })]))).toEqual([])
  })

  it('lists nobody twice', () => {
    expect(ids(routeTip({ school, category: 'ma-tuy', text: '' }, [drugs, drugs, coordinator, coordinator]))).toEqual(['drugs', 'coordinator'])
  })

  it('skips an officer the tip is about, named in full or by the last two words, diacritics optional', () => {
    const route = (text: string) => ids(routeTip({ school, category: 'ma-tuy', text }, everyone))
    expect(route('Thầy Đỗ Văn An bán thuốc lá điện tử cho học sinh')).not.toContain('drugs')
    expect(route('thay van an ban thuoc la dien tu')).not.toContain('drugs')
    expect(route('cô Thu Hà biết mà không xử lý')).not.toContain('focal')
    expect(route('Chú công an Quốc Hùng bảo kê quán')).not.toContain('police')
    expect(route('cô Hà biết chuyện')).toContain('focal')
    expect(route('bạn Văn Anh lớp 9A hút thuốc')).toContain('drugs')
  })

  it('still reaches a coordinator when everyone in the chain is named', () => {
    expect(ids(routeTip({ school, category: 'khac', text: 'cô Thu Hà và cô Thị Lan' }, [focal, coordinator]))).toEqual(['coordinator'])
    const second = officer('coordinator-2', 'coordinator', 'Đặng Hữu Phúc')
    expect(ids(routeTip({ school, category: 'khac', text: 'cô Thị Lan' }, [focal, coordinator, second]))).toEqual(['focal', 'coordinator-2'])
  })
})

describe('officersNamedIn', () => {
  it('finds names on word boundaries only', () => {
    expect(ids(officersNamedIn('Nguyễn Thị Lan, Lê Thu Hà.', everyone))).toEqual(['coordinator', 'focal'])
    expect(ids(officersNamedIn('thị lanh', everyone))).toEqual([])
  })
})
