// How fast the dashboard shows its first content with 10,000 instances in the store: measured in Chromium
// and printed, not asserted (a shared machine's timings say too little for a pass or a fail). What is
// asserted is that the figures it shows are those of the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@dadms/process-engine';
import { launchBrowser, type Browser } from '../support/browser.js';
import { startUiServer, type UiServer } from '../support/ui-server.js';

const COMPLETED = 9_500;
const WAITING = 500;
const STARTERS = 8;

const model = (key: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d_${key}" targetNamespace="t">
  <bpmn:process id="${key}" name="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="next" />
    ${body}
  </bpmn:process>
</bpmn:definitions>`;

/** `count` instances of the process, started by a few callers at once */
async function startMany(engine: Engine, key: string, count: number): Promise<void> {
  let started = 0;
  await Promise.all(Array.from({ length: STARTERS }, async () => {
    while (started < count) {
      started++;
      await engine.startInstance({ process_definition_key: key });
    }
  }));
}

/** 9,500 instances that ran to their end and 500 waiting at a user task (about two minutes on PGlite) */
async function seed(engine: Engine): Promise<void> {
  await engine.deploy({ bpmn_xml: model('straight_through', '<bpmn:endEvent id="next" />') });
  await engine.deploy({ bpmn_xml: model('needs_review', '<bpmn:userTask id="next" name="Review" />') });
  await startMany(engine, 'straight_through', COMPLETED);
  await startMany(engine, 'needs_review', WAITING);
}

describe(`the dashboard over ${COMPLETED + WAITING} instances`, () => {
  let server: UiServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startUiServer('dashboard-load', seed);
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the store\'s figures; the time to its first content is printed', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/#/`);
    await page.locator('[data-testid="summary"]').waitFor();
    const figuresAt = await page.evaluate(() => performance.now());
    await page.getByRole('region', { name: /Processes/ }).locator('tbody tr').first().waitFor();
    const processesAt = await page.evaluate(() => performance.now());
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN);
    console.log(
      `dashboard with ${COMPLETED + WAITING} instances: first contentful paint ${Math.round(paint)} ms, ` +
      `figures shown at ${Math.round(figuresAt)} ms, processes table at ${Math.round(processesAt)} ms after navigation`,
    );
    expect(await page.locator('[data-testid="summary"]').innerText()).toMatch(new RegExp(`${WAITING}\\s+running instances\\s+${WAITING}\\s+open tasks`));
    const rows = page.getByRole('region', { name: /Processes/ }).locator('tbody tr');
    expect(await rows.filter({ hasText: 'straight_through' }).innerText()).toMatch(new RegExp(`straight_through\\s+0\\s+${COMPLETED}\\s+0`));
    expect(await rows.filter({ hasText: 'needs_review' }).innerText()).toMatch(new RegExp(`needs_review\\s+${WAITING}\\s+0\\s+0`));
    await browser.screenshot('dashboard-10000');
  });
});
