// Start forms and linked forms end to end, in Chromium against the real server on PGlite: an instance
// started from the UI through its process's start form, the engine's refusal shown beside the field it
// names, and the variables the instance starts with.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Browser } from '../support/browser.js';
import { startUiServer, type UiServer } from '../support/ui-server.js';

const model = (name: string) => readFileSync(new URL(`../models/${name}`, import.meta.url), 'utf8');

describe('forms in Chromium', () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startUiServer('forms');
    browser = await launchBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** deploys through the API and opens the definition's page */
  const openDefinition = async (body: unknown) => {
    const deployed = await server.server.expect<{ definitions: { id: string }[] }>(201, 'POST', '/definitions', body);
    await page.goto(`${server.url}/#/processes/${deployed.definitions[0]!.id}`);
  };
  const variablesTable = () => page.locator('#variables-title + div table').innerText();

  it('starts an instance through its generated start form, showing what the engine refuses beside the field', async () => {
    await openDefinition({ bpmn_xml: model('trip-request.bpmn') });
    await page.getByLabel('Destination').waitFor();
    await page.getByLabel('Nights').fill('20');
    await page.getByRole('button', { name: 'Start instance' }).click();
    await page.locator('#field-nights-problem').waitFor();
    expect(await page.locator('#field-nights-problem').innerText()).toContain("'Nights' (nights) must be at most 14");
    expect(await page.locator('#field-destination-problem').innerText()).toContain("'Destination' (destination) is required");
    expect(await page.getByLabel('Destination').getAttribute('aria-invalid')).toBe('true');
    await browser.screenshot('start-form-generated');

    await page.getByLabel('Destination').fill('Lyon');
    await page.getByLabel('Nights').fill('3');
    await page.getByRole('button', { name: 'Start instance' }).click();
    await page.waitForURL(/#\/instances\/[0-9a-f-]{36}$/);
    await expect.poll(variablesTable).toMatch(/destination\s+String\s+Lyon/);
    expect(await variablesTable()).toMatch(/nights\s+Long\s+3/);
  });
});
