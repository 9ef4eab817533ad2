import { defineProject } from 'vitest/config';

// The browser tests drive the built UI through a real server and Chromium: the UI is built once before
// them, and a whole workflow takes longer than a unit test.
export default defineProject({
  test: { testTimeout: 180_000, hookTimeout: 240_000, globalSetup: ['test/support/build-ui.ts'] },
});
