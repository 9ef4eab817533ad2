import { defineConfig } from 'vitest/config';

// Most of a test file's time is waiting for PostgreSQL, Redis or a child process, so two files run at
// once even on two cores (vitest would otherwise keep one core for itself and run one at a time).
export default defineConfig({ test: { projects: ['packages/*', 'apps/*'], maxWorkers: 2 } });
