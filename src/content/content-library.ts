import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { parse } from 'yaml'
import type { z } from 'zod'
import { splitFrontMatter } from './front-matter.js'
import type { Post } from './post.js'
import { postFrontMatterSchema } from './post-front-matter.js'
import { isTopic, nonPostFolders } from './topics.js'

export interface ContentLibrary {
  dir: string
  /** Posts that passed every per-file check; a broken file never reaches a group. */
  posts: Post[]
  /** "file: field: reason", one per problem. */
  errors: string[]
  /** Post files found, valid or not. */
  files: number
}

const imageExtensions = ['.jpg', '.jpeg', '.png', '.webp']

/** Every post under content/<topic>/*.md, except folders that hold other data (content/tips). */
export function loadContentLibrary(dir: string): ContentLibrary {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { dir, posts: [], errors: [`${dir}: (folder): does not exist`], files: 0 }
  const posts: Post[] = []
  const errors: string[] = []
  let files = 0
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort(byName)) {
    const path = join(dir, entry.name)
    if (entry.isFile()) {
      if (entry.name.endsWith('.md') && entry.name.toLowerCase() !== 'readme.md') errors.push(`${path}: (file): posts go in a topic folder, content/<topic>/<id>.md`)
      continue
    }
    if (!entry.isDirectory() || (nonPostFolders as readonly string[]).includes(entry.name)) continue
    if (!isTopic(entry.name)) {
      errors.push(`${path}: (folder): is not a topic; topics are the folder names listed in src/content/topics.ts`)
      continue
    }
    for (const file of postFilesIn(path, errors)) {
      files++
      const read = readPostFile(file, dir)
      errors.push(...read.errors)
      if (read.post) posts.push(read.post)
    }
  }
  return { dir, posts, errors, files }
}

function postFilesIn(folder: string, errors: string[]): string[] {
  const found: string[] = []
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort(byName)) {
    const path = join(folder, entry.name)
    if (entry.isFile() && entry.name.endsWith('.md')) found.push(path)
    else if (entry.isDirectory() && containsMarkdown(path)) errors.push(`${path}: (folder): posts sit directly in their topic folder, not in sub-folders`)
  }
  return found
}

function containsMarkdown(folder: string): boolean {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).some((name) => name.endsWith('.md'))
}

/** One post file, checked on its own: front matter, id and topic against its place, body, image. */
export function readPostFile(file: string, libraryDir: string): { post?: Post; errors: string[] } {
  const split = splitFrontMatter(readFileSync(file, 'utf8'))
  if (!split) return { errors: [`${file}: (front matter): the file must start with a "---" line, the fields, and another "---" line`] }
  let raw: unknown
  try {
    raw = parse(split.frontMatter)
  } catch (error) {
    return { errors: [`${file}: (front matter): is not valid YAML (${(error as Error).message.split('\n')[0]})`] }
  }
  const parsed = postFrontMatterSchema.safeParse(raw ?? {})
  if (!parsed.success) return { errors: parsed.error.issues.flatMap((issue) => describeIssue(file, issue, raw)) }
  const front = parsed.data
  const errors: string[] = []
  const folder = basename(dirname(file))
  const expectedId = basename(file, '.md')
  if (front.id !== expectedId) errors.push(`${file}: id: is "${front.id}" but the file is named ${expectedId}.md; they must match`)
  if (front.topic !== folder) errors.push(`${file}: topic: is "${front.topic}" but the file sits in content/${folder}/`)
  // Editors on some systems save decomposed letters; NFC keeps lengths and diacritics checks honest.
  const body = split.body.normalize('NFC').trim()
  if (!body) errors.push(`${file}: body: is empty`)
  const image = front.image ? resolveImage(file, libraryDir, front.image, errors) : undefined
  if (errors.length) return { errors }
  return {
    errors,
    post: {
      id: front.id,
      topic: front.topic,
      title: front.title.normalize('NFC'),
      audience: front.audience,
      levels: front.levels,
      tags: front.tags,
      months: front.months,
      days: front.days,
      sources: front.sources.map((source) => source.normalize('NFC')),
      image: image && front.image_alt ? { path: image, alt: front.image_alt.normalize('NFC') } : undefined,
      body,
      file,
    },
  }
}

function resolveImage(file: string, libraryDir: string, image: string, errors: string[]): string | undefined {
  const path = join(dirname(file), image)
  const inside = relative(resolve(libraryDir), resolve(path))
  if (inside.startsWith('..') || inside.startsWith(sep)) {
    errors.push(`${file}: image: "${image}" points outside the content folder`)
    return undefined
  }
  if (!existsSync(path) || !statSync(path).isFile()) {
    errors.push(`${file}: image: "${image}" does not exist (paths are relative to the post's folder)`)
    return undefined
  }
  if (!imageExtensions.some((extension) => path.toLowerCase().endsWith(extension))) {
    errors.push(`${file}: image: "${image}" must be a ${imageExtensions.join(', ')} picture`)
    return undefined
  }
  // Absolute, so the delivery worker finds it whatever its working directory.
  return resolve(path)
}

function describeIssue(file: string, issue: z.core.$ZodIssue, raw: unknown): string[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${file}: ${key}: is not a known field`)
  const field = issue.path.length ? issue.path.join('.') : '(front matter)'
  const missing = issue.code === 'invalid_type' && issue.path.length === 1 && typeof raw === 'object' && raw !== null && (raw as Record<PropertyKey, unknown>)[issue.path[0]!] == null
  return [`${file}: ${field}: ${missing ? 'is missing' : issue.message}`]
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}
