// Request validators compile when first used or when compileValidators() runs (after the server listens),
// not while the server starts: every route's schemas must still compile, and a bad one must still fail.
import type { Engine } from '@dadms/process-engine';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createValidatorCompiler } from '../src/schema-compilers.js';
import { testConfig } from './support.js';

describe('request validators', () => {
  it('compile for every route of the app', async () => {
    const app = await buildApp({ config: testConfig(), startEngine: () => new Promise<Engine>(() => {}) });
    try {
      await app.ready();
      expect(() => app.compileValidators()).not.toThrow();
    } finally {
      await app.close();
    }
  });

  it('refuse a schema Ajv refuses once compiled, and check data as compiled', () => {
    const validators = createValidatorCompiler([]);
    const compile = (schema: object) => validators.compiler({ schema, method: 'POST', url: '/x', httpPart: 'body' }) as
      ((data: unknown) => boolean) & { errors?: { message?: string }[] | null };
    const bad = compile({ type: 'object', properties: { a: { type: 'string', notAKeyword: true } } });
    expect(() => validators.compilePending()).toThrow(/unknown keyword: "notAKeyword"/);
    expect(() => bad({ a: 'x' })).toThrow(/notAKeyword/);

    const good = compile({ type: 'object', required: ['a'], properties: { a: { type: 'integer' } } });
    expect(good({ a: 1 })).toBe(true);
    expect(good({ a: '1' })).toBe(false);
    expect(good.errors?.[0]?.message).toBe('must be integer');
  });
});
