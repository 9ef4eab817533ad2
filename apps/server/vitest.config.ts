import { defineProject } from 'vitest/config';

export default defineProject({
  // The engine is imported from its TypeScript sources (its package's `source` condition), not from a build.
  // Vite's default `module` condition is left out: it picks packages' ES builds that only bundlers can load
  // (@opentelemetry/api's imports its files without their extension), where Node takes their `default`.
  ssr: { resolve: { conditions: ['source', 'node', 'development|production'] } },
  // PGlite's first start in a worker takes a few seconds; the defaults are too tight for it
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
