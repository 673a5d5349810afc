import { z } from 'zod'

/**
 * Test files share worker processes (vitest.config.ts: isolate false), so what a file leaves in a
 * library's process-wide state would reach the next file. Each file starts as in a fresh process:
 * zod's own messages in English (the admin CLI switches them to Vietnamese for its process).
 */
z.config(z.locales.en())
