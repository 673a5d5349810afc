import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // One worker process runs file after file: node and the modules load once, not once per file
    // (that was a third of the suite's time). Files still share nothing that matters: each test
    // has its own Redis prefix, ports and fakes, src/ keeps no state in modules (the composition
    // root builds everything), and test/support/fresh-process.ts resets what a library keeps
    // process-wide.
    isolate: false,
    setupFiles: ['test/support/fresh-process.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    fileParallelism: false,
    env: { TZ: 'Asia/Ho_Chi_Minh' },
  },
})
