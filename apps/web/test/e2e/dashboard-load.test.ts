// How fast the dashboard shows its first content with 10,000 instances in the store: measured in Chromium
// and printed, not asserted (a shared machine's timings say too little for a pass or a fail). What is
// asserted is that the figures it shows are those of the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@dadms/process-engine';
import type { Request } from 'playwright-core';
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
  // a running service gives its events their positions as they commit (or at least each minute); this
  // engine had no reader, so it does so now rather than leave the server a backlog no real store has
  await engine.listEvents({ limit: 1 });
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

  /** opens the dashboard and prints how soon it showed what, and what it fetched */
  async function measuredLoad(when: string): Promise<void> {
    const { page } = browser;
    const fetched: Promise<number>[] = [];
    const count = (request: Request) => {
      if (request.url().includes('/api/') && !request.url().includes('/events/stream')) fetched.push(request.sizes().then((sizes) => sizes.responseBodySize));
    };
    page.on('requestfinished', count);
    await page.goto('about:blank');
    await page.goto(`${server.url}/#/`);
    await page.locator('[data-testid="summary"]').waitFor();
    const figuresAt = await page.evaluate(() => performance.now());
    await page.getByRole('region', { name: /Processes/ }).locator('tbody tr').first().waitFor();
    const processesAt = await page.evaluate(() => performance.now());
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN);
    page.off('requestfinished', count);
    const bytes = (await Promise.all(fetched)).reduce((sum, size) => sum + size, 0);
    console.log(
      `dashboard with ${COMPLETED + WAITING} instances, ${when}: first contentful paint ${Math.round(paint)} ms, ` +
      `figures shown at ${Math.round(figuresAt)} ms, processes table at ${Math.round(processesAt)} ms after navigation; ` +
      `${fetched.length} API requests, ${bytes} bytes of answers`,
    );
  }

  it('shows the store\'s figures; the time to its first content and what it fetched are printed', async () => {
    // the first load after the server started pays for its cold start (the first model compiled, the
    // first plans of each query); the second is what a person opening the dashboard meets
    await measuredLoad('first load after the server started');
    await measuredLoad('loaded again');
    const { page } = browser;
    expect(await page.locator('[data-testid="summary"]').innerText()).toMatch(new RegExp(`${WAITING}\\s+running instances\\s+${WAITING}\\s+open tasks`));
    const rows = page.getByRole('region', { name: /Processes/ }).locator('tbody tr');
    expect(await rows.filter({ hasText: 'straight_through' }).innerText()).toMatch(new RegExp(`straight_through\\s+0\\s+${COMPLETED}\\s+0`));
    expect(await rows.filter({ hasText: 'needs_review' }).innerText()).toMatch(new RegExp(`needs_review\\s+${WAITING}\\s+0\\s+0`));
    await browser.screenshot('dashboard-10000');
  });
});
