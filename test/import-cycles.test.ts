import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Folders form layers: no folder of src/ or handlers/ may import, directly or around a loop,
 * a folder that imports it back. A shared type belongs in the lower folder (core, or the
 * feature's own), never fetched from a composition root like app.ts.
 */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : []
  })
}

/** "src/platforms/zalo", "src/server/admin", "handlers/tips", "src/app" (a top-level file is its own node). */
function folderOf(file: string): string {
  const parts = file.split('/')
  if (parts[0] === 'handlers') return `handlers/${parts[1]}`
  if (parts.length === 2) return `src/${parts[1]!.replace(/\.ts$/, '')}`
  if ((parts[1] === 'platforms' || parts[1] === 'server') && parts.length > 3) return `src/${parts[1]}/${parts[2]}`
  return `src/${parts[1]}`
}

function folderGraph(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>()
  const importPattern = /^(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm
  for (const file of [...sourceFiles('src'), ...sourceFiles('handlers')]) {
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const target = normalize(join(dirname(file), match[1]!)).replace(/\.js$/, '.ts')
      const [from, to] = [folderOf(file), folderOf(target)]
      if (from === to) continue
      if (!edges.has(from)) edges.set(from, new Map())
      edges.get(from)!.set(to, `${file} → ${target}`)
    }
  }
  return edges
}

/** Each loop once, as the files that close it. */
function cycles(edges: Map<string, Map<string, string>>): string[][] {
  const found: string[][] = []
  const seen = new Set<string>()
  const walk = (start: string, node: string, path: string[]) => {
    for (const [next, why] of edges.get(node) ?? []) {
      if (next === start) {
        const key = [...path.map((_, i) => path[i]), node].sort().join('|')
        if (!seen.has(key)) {
          seen.add(key)
          found.push([...path, why])
        }
      } else if (!path.some((step) => step.startsWith(`${next}:`)) && next > start) walk(start, next, [...path, `${next}: ${why}`])
    }
  }
  for (const start of edges.keys()) walk(start, start, [])
  return found
}

describe('imports between folders', () => {
  it('form no cycle', () => {
    expect(cycles(folderGraph())).toEqual([])
  })
})
