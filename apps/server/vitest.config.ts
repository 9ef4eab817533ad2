import { defineProject } from 'vitest/config';

// PGlite's first start in a worker takes a few seconds; the defaults are too tight for it.
export default defineProject({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
