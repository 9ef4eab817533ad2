import { defaultServerConditions } from 'vite';
import { defineProject } from 'vitest/config';

export default defineProject({
  // the engine is imported from its TypeScript sources (its package's `source` condition), not from a build
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  // PGlite's first start in a worker takes a few seconds; the defaults are too tight for it
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
