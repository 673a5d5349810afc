import { bold, escapeHtml, italic, type OutgoingMessage } from '../core/message.js'
import { tipDeepLinkButton } from '../tips/tip-deep-link.js'
import type { Post } from './post.js'

export const postFooter = '— Trợ lý An toàn Trường học'

/** A post as a group sees it: bold title, the body, the signature, and the anonymous-tip button. */
export function renderPost(post: Post, schoolCode: string): OutgoingMessage {
  return {
    text: `${bold(post.title)}\n\n${escapeHtml(post.body)}\n\n${italic(postFooter)}`,
    buttons: [[tipDeepLinkButton(schoolCode)]],
    photo: post.image ? { source: { kind: 'file', path: post.image.path }, alt: post.image.alt } : undefined,
  }
}
