import { foldVietnamese } from '../core/fold.js'
import type { Officer, School } from '../directory/model.js'
import { parseCategory } from './categories.js'

export interface TipToRoute {
  school: School
  /** A category id; a label or alias also works. */
  category: string
  text: string
}

/**
 * Who receives a tip, first to last: the officers in charge of that school and category, the
 * school's focal point, the ward police, the department coordinators. Whoever the tip names is
 * left out, so a tip about someone never lands with them. If that leaves nobody, the coordinators
 * get it after all: a tip must reach someone.
 */
export function routeTip(tip: TipToRoute, officers: Officer[]): Officer[] {
  const named = new Set(officersNamedIn(tip.text, officers).map((officer) => officer.id))
  const chain = uniqueById([
    ...caseOfficers(tip.school, tip.category, officers),
    ...focalPoints(tip.school, officers),
    ...wardPolice(tip.school, officers),
    ...coordinators(officers),
  ])
  const routed = chain.filter((officer) => !named.has(officer.id))
  return routed.length > 0 ? routed : coordinators(officers)
}

/** Officers whose full name, or the last two words of it ("Văn Minh" for "Trần Văn Minh"), the text mentions. */
export function officersNamedIn(text: string, officers: Officer[]): Officer[] {
  const haystack = ` ${comparable(text)} `
  return officers.filter((officer) => namesOf(officer).some((name) => haystack.includes(` ${name} `)))
}

function caseOfficers(school: School, category: string, officers: Officer[]): Officer[] {
  const wanted = categoryIdOf(category)
  return mostSpecificFirst(
    officers.filter((o) => o.role === 'officer' && coversSchool(o, school) && (o.categories.length === 0 || o.categories.some((c) => categoryIdOf(c) === wanted))),
    school,
  )
}

function focalPoints(school: School, officers: Officer[]): Officer[] {
  return mostSpecificFirst(officers.filter((o) => o.role === 'focal-point' && coversSchool(o, school)), school)
}

function wardPolice(school: School, officers: Officer[]): Officer[] {
  return officers.filter((o) => o.role === 'ward-police' && o.wards.some((ward) => sameWard(ward, school.ward)))
}

function coordinators(officers: Officer[]): Officer[] {
  return officers.filter((o) => o.role === 'coordinator')
}

function coversSchool(officer: Officer, school: School): boolean {
  return officer.schools.includes(school.code) || officer.schools.includes('*')
}

/** One who names the school and the category before one who takes every school ("*") or every category. */
function mostSpecificFirst(officers: Officer[], school: School): Officer[] {
  const breadth = (o: Officer) => (o.schools.includes(school.code) ? 0 : 2) + (o.categories.length > 0 ? 0 : 1)
  return [...officers].sort((a, b) => breadth(a) - breadth(b))
}

function categoryIdOf(text: string): string {
  return parseCategory(text)?.id ?? text
}

/** "Phường Lê Chân", "P. Lê Chân", "le chan" are one ward: the directory is typed by hand. */
function sameWard(a: string, b: string): boolean {
  const [x, y] = [comparable(a), comparable(b)]
  return x === y || withoutUnitPrefix(x) === withoutUnitPrefix(y)
}

function withoutUnitPrefix(ward: string): string {
  return ward.replace(/^(?:phuong|xa|thi tran|dac khu|p)\s+/, '')
}

function namesOf(officer: Officer): string[] {
  const words = comparable(officer.name).split(' ').filter(Boolean)
  if (words.length === 0) return []
  return [...new Set([words.join(' '), words.slice(-2).join(' ')])]
}

function comparable(text: string): string {
  return foldVietnamese(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

function uniqueById(officers: Officer[]): Officer[] {
  const seen = new Set<string>()
  return officers.filter((officer) => {
    if (seen.has(officer.id)) return false
    seen.add(officer.id)
    return true
  })
}
