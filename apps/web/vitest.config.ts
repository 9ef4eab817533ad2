import { defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

// The browser tests drive the built UI through a real server and Chromium: the UI is built once before
// them, a whole workflow takes longer than a unit test, and what a screen shows may take seconds to come
// on a busy machine (expect.poll waits up to 20 s, as playwright's own waits do 30).
export default defineProject({
  // the engine is imported from its TypeScript sources (its package's `source` condition), not from a build
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    testTimeout: 180_000,
    hookTimeout: 240_000,
    globalSetup: ['test/support/build-ui.ts'],
    expect: { poll: { timeout: 20_000 } },
  },
});
