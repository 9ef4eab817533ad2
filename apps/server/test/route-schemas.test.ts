// Request validators compile when first used, when compileValidators() runs, or in the background once the
// server listens and its engine has started; not while the server starts: every route's schemas must still
// compile, and a bad one must still fail.
import type { Engine } from '@dadms/process-engine';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createValidatorCompiler, type ValidatorCompiler } from '../src/schema-compilers.js';
import { testConfig } from './support.js';

const bodyValidator = (validators: ValidatorCompiler, schema: object) => validators.compiler({ schema, method: 'POST', url: '/x', httpPart: 'body' }) as
  ((data: unknown) => boolean) & { errors?: { message?: string }[] | null };
const UNKNOWN_KEYWORD = { type: 'object', properties: { a: { type: 'string', notAKeyword: true } } };

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
    const compile = (schema: object) => bodyValidator(validators, schema);
    const bad = compile(UNKNOWN_KEYWORD);
    expect(() => validators.compilePending()).toThrow(/unknown keyword: "notAKeyword"/);
    expect(() => bad({ a: 'x' })).toThrow(/notAKeyword/);

    const good = compile({ type: 'object', required: ['a'], properties: { a: { type: 'integer' } } });
    expect(good({ a: 1 })).toBe(true);
    expect(good({ a: '1' })).toBe(false);
    expect(good.errors?.[0]?.message).toBe('must be integer');
  });

  it('compile in the background one per turn of the event loop, and reject a schema Ajv refuses', async () => {
    const validators = createValidatorCompiler([]);
    bodyValidator(validators, { type: 'object' });
    bodyValidator(validators, { type: 'array' });
    let answeredBetween = false;
    const compiled = validators.compileInTurns();
    setImmediate(() => (answeredBetween = true));
    await compiled;
    expect(answeredBetween).toBe(true);

    bodyValidator(validators, { type: 'string' });
    bodyValidator(validators, UNKNOWN_KEYWORD);
    await expect(validators.compileInTurns()).rejects.toThrow(/unknown keyword: "notAKeyword"/);
  });
});
