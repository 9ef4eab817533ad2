// The settings of retention and of the HTTP connector: read from the environment, checked, and handed
// to the engine.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { engineOptions } from '../src/engine-options.js';
import { configProblems } from './support.js';

const log = pino({ level: 'silent' });
describe('retention settings', () => {
  it('keep ended instances for ever by default, and hand the TTL and the cleanup settings to the engine', () => {
    expect(engineOptions(loadConfig({}), log).retention).toStrictEqual({
      historyTimeToLiveDays: undefined, cleanupIntervalMs: undefined, cleanupBatchSize: undefined,
    });
    const config = loadConfig({ HISTORY_TTL_DAYS: '30', HISTORY_CLEANUP_INTERVAL_MS: '0', HISTORY_CLEANUP_BATCH_SIZE: '250' });
    expect(engineOptions(config, log).retention).toStrictEqual({ historyTimeToLiveDays: 30, cleanupIntervalMs: 0, cleanupBatchSize: 250 });
  });

  it('name each bad value', () => {
    expect(configProblems({ HISTORY_TTL_DAYS: '-1', HISTORY_CLEANUP_BATCH_SIZE: '0', HISTORY_CLEANUP_INTERVAL_MS: 'often' })).toEqual([
      "HISTORY_TTL_DAYS must be an integer from 0 to 1000000, got '-1'",
      "HISTORY_CLEANUP_INTERVAL_MS must be an integer from 0 to 86400000, got 'often'",
      "HISTORY_CLEANUP_BATCH_SIZE must be an integer from 1 to 10000, got '0'",
    ]);
  });
});

describe('the HTTP connector settings', () => {
  it('allow nothing when neither CONNECTOR_ALLOWED_URLS nor a DADMS service URL is set', () => {
    expect(engineOptions(loadConfig({}), log).httpConnector).toStrictEqual({ allowedUrls: [] });
  });

  it('allow the DADMS service URLs that are configured by default', () => {
    const config = loadConfig({ LLM_SERVICE_URL: 'http://llm-service:3002', CONTEXT_MANAGER_URL: 'http://context-manager:3020', OTHER_URL: 'http://other:1' });
    expect(engineOptions(config, log).httpConnector).toStrictEqual({ allowedUrls: ['http://llm-service:3002', 'http://context-manager:3020'] });
  });

  it('allow exactly CONNECTOR_ALLOWED_URLS when it is set', () => {
    const config = loadConfig({ LLM_SERVICE_URL: 'http://llm-service:3002', CONNECTOR_ALLOWED_URLS: ' https://api.example.com/v1 ,https://, ' });
    expect(config.connector.allowedUrls).toEqual(['https://api.example.com/v1', 'https://']);
  });

  it('name a bad entry without echoing it', () => {
    const problems = configProblems({ CONNECTOR_ALLOWED_URLS: 'https://me:s3cret@api.example.com', BPMN_WORKSPACE_URL: 'ftp://x' });
    expect(problems).toEqual([expect.stringMatching(/^CONNECTOR_ALLOWED_URLS must be http or https URL prefixes/)]);
    expect(problems.join()).not.toContain('s3cret');
    expect(configProblems({ BPMN_WORKSPACE_URL: 'ftp://files' })).toEqual([expect.stringMatching(/^BPMN_WORKSPACE_URL must be http or https/)]);
  });
});
