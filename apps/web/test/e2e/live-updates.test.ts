// Screens change as the service does, in Chromium against the real server on PGlite: the dashboard, an
// instance and the task list fetch again on the events of GET /events/stream while the header says "Live"
// (no timer runs then, so only the events can bring the change); a refused stream falls back to fetching
// every 5 s; a stream that drops (the server restarts) comes back, and the screen catches up.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { model } from '../support/models.js';
import { uiSession } from '../support/ui-session.js';

const liveState = (page: Page) => page.locator('.live-state').getAttribute('data-state');
const running = async (page: Page) => Number(/(\d+)\s+running instances/.exec(await page.locator('[data-testid="summary"]').innerText())?.[1]);

describe('live updates in Chromium', () => {
  const ui = uiSession('live-updates', (server) => server.server.expect(201, 'POST', '/definitions', { bpmn_xml: model('expense-report.bpmn') }));
  const startExpense = () => ui.server.server.expect<{ id: string }>(201, 'POST', '/instances', { process_definition_key: 'expense_report' });

  it('updates the dashboard from the event stream', async () => {
    await ui.open('/');
    await expect.poll(() => liveState(ui.page)).toBe('open');
    await expect.poll(() => running(ui.page)).toBe(0);
    await startExpense();
    await startExpense();
    await expect.poll(() => running(ui.page)).toBe(2);
    expect(await ui.page.locator('.live-state').innerText()).toBe('Live');
  });

  it('updates an instance as its task is completed elsewhere', async () => {
    const instance = await startExpense();
    await ui.open(`/instances/${instance.id}`);
    await expect.poll(() => liveState(ui.page)).toBe('open');
    await expect.poll(() => ui.page.locator('h1 .status').innerText()).toMatch(/active/i);
    const { data } = await ui.server.server.expect<{ data: { id: string }[] }>(200, 'GET', `/tasks?process_instance_id=${instance.id}`);
    await ui.server.server.expect(200, 'POST', `/tasks/${data[0]!.id}/complete`, { variables: { purpose: { value: 'Train' }, amount: { value: 12 } } });
    await expect.poll(() => ui.page.locator('#tasks-title + ul').innerText()).toContain('Review the expense');
    await expect.poll(() => ui.page.locator('#variables-title + div table').innerText()).toMatch(/purpose\s+String\s+Train/);
  });

  it('shows a task in the task list as soon as it is created', async () => {
    await ui.open('/tasks?view=unassigned');
    await expect.poll(() => liveState(ui.page)).toBe('open');
    const rows = ui.page.locator('tbody tr', { hasText: 'Fill in the expense' });
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const before = await rows.count();
    await startExpense();
    await expect.poll(() => rows.count()).toBe(before + 1);
  });

  it('fetches every 5 s when the stream is refused, and says so', async () => {
    const refused = await ui.browser.context.newPage();
    await refused.route('**/api/processes/events/stream**', (route) => route.fulfill({
      status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'FORBIDDEN', message: 'events:read is required' } }),
    }));
    await refused.goto(`${ui.server.url}/#/`);
    await expect.poll(() => liveState(refused)).toBe('down');
    expect(await refused.locator('.live-state').innerText()).toBe('Refreshing every 5 s');
    const before = await running(refused);
    await startExpense();
    await expect.poll(() => running(refused)).toBe(before + 1);
    await refused.close();
  });

  it('comes back after the stream drops, and catches up with what happened meanwhile', async () => {
    await ui.open('/');
    await expect.poll(() => liveState(ui.page)).toBe('open');
    const before = await running(ui.page);
    await ui.server.server.kill();
    await expect.poll(() => liveState(ui.page)).toBe('down');
    await ui.server.server.start();
    await startExpense();
    await expect.poll(() => liveState(ui.page), { timeout: 60_000 }).toBe('open');
    await expect.poll(() => running(ui.page)).toBe(before + 1);
    await ui.browser.screenshot('dashboard-live');
  });
});
