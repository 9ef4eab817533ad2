// Start forms and linked forms end to end, in Chromium against the real server on PGlite: an instance
// started from the UI through its process's start form, the engine's refusal shown beside the field it
// names, and the variables the instance starts with; a Camunda 8 model deployed by dropping it with the
// .form files it links to by formId, its start form and task form rendered by form-js.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Browser } from '../support/browser.js';
import { startUiServer, type UiServer } from '../support/ui-server.js';

const model = (name: string) => readFileSync(new URL(`../models/${name}`, import.meta.url), 'utf8');

async function dropFiles(page: Page, files: { name: string; content: string }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((files) => {
    const transfer = new DataTransfer();
    for (const { name, content } of files) transfer.items.add(new File([content], name));
    return transfer;
  }, files);
  await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer });
}

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

  it('deploys a model dropped with the forms it links to, and starts and completes it through them', async () => {
    await page.goto(`${server.url}/#/processes`);
    await dropFiles(page, ['leave-request.bpmn', 'leave-request.form', 'leave-decision.form'].map((name) => ({ name, content: model(name) })));
    await page.getByText('Deployed leave-request.bpmn, leave-request.form, leave-decision.form:').waitFor();
    await page.locator('.notice').getByRole('link', { name: 'Leave request' }).click();

    // the linked start form, by form-js, which checks in the browser first
    await page.locator('.form-js [data-rendered="true"]').waitFor();
    await page.getByLabel('Employee').fill('Sam');
    await page.getByLabel('Days').fill('3');
    await page.getByLabel('Reason').fill('A wedding');
    await browser.screenshot('start-form-js');
    await page.getByRole('button', { name: 'Start instance' }).click();
    await page.waitForURL(/#\/instances\/[0-9a-f-]{36}$/);
    await expect.poll(variablesTable).toMatch(/days\s+Long\s+3/);
    expect(await variablesTable()).toMatch(/employee\s+String\s+Sam/);

    // the linked task form
    await page.locator('#tasks-title + ul').getByRole('link', { name: 'Decide on the leave' }).click();
    await page.locator('.form-js [data-rendered="true"]').waitFor();
    await page.getByLabel('Grant').check();
    await page.getByLabel('Note for the employee').fill('Enjoy');
    await browser.screenshot('task-form-linked');
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.waitForURL(/#\/instances\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('h1 .status').innerText()).toMatch(/completed/i);
    expect(await variablesTable()).toMatch(/decision\s+String\s+grant/);
  });

  it('refuses a model whose linked form is not deployed, naming the element', async () => {
    await page.goto(`${server.url}/#/processes`);
    await dropFiles(page, [{ name: 'orphan.bpmn', content: model('leave-request.bpmn').replaceAll('leave_request', 'orphan_request').replace('formId="leave-decision"', 'formId="nowhere"') }]);
    const problems = page.locator('.problems li');
    await problems.first().waitFor();
    expect(await problems.innerText()).toContain("The form 'nowhere'");
    expect(await problems.locator('code').allInnerTexts()).toContain('decide');
  });
});
