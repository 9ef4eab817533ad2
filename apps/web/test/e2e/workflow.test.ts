// The management UI end to end, in Chromium against the real server on PGlite: deploy a model by drag and
// drop (and see a refused one's problems by element id, a DMN file's decisions, and the decision a business rule task evaluated), start an instance, complete its tasks through a
// Camunda 7 generated form and a form-js form, see it completed on its diagram, fix a variable and retry
// an incident, and sign in when the service answers 401. Each screen is saved as a screenshot.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dropFiles, model } from '../support/models.js';
import { uiSession } from '../support/ui-session.js';

const element = (page: Page, id: string) => page.locator(`.diagram [data-element-id="${id}"]`).first();

/** the classes bpmn-js gave a diagram element, once the diagram is drawn */
async function markers(page: Page, id: string): Promise<string[]> {
  await page.locator('.diagram[data-rendered="true"]').waitFor();
  return ((await element(page, id).getAttribute('class')) ?? '').split(/\s+/).filter((c) => c.startsWith('marker-'));
}

describe('the management UI in Chromium', () => {
  const ui = uiSession('workflow');
  let instanceId = '';

  it('shows the dashboard at / with nothing deployed yet', async () => {
    await ui.open('/');
    await expect.poll(() => ui.page.locator('[data-testid="summary"]').innerText()).toMatch(/0\s+running instances/);
    await expect.poll(() => ui.page.getByText('No process is deployed yet').isVisible()).toBe(true);
    await ui.browser.screenshot('dashboard-empty');
  });

  it('lists each problem of a refused model beside its element id', async () => {
    await ui.open('/processes');
    const broken = model('expense-report.bpmn').replace('targetRef="review"', 'targetRef="nowhere"');
    await ui.page.locator('input[type="file"]').setInputFiles({ name: 'broken.bpmn', mimeType: 'application/xml', buffer: Buffer.from(broken) });
    const problems = ui.page.locator('.problems li');
    await problems.first().waitFor();
    expect(await ui.page.getByText('broken.bpmn was not deployed: the model has problems.').isVisible()).toBe(true);
    expect(await problems.locator('code').allInnerTexts()).toContain('to_review');
    await ui.browser.screenshot('deploy-refused');
  });

  it('deploys the decisions of a DMN file dropped alone', async () => {
    await ui.open('/processes');
    await dropFiles(ui.page, [{ name: 'dinner.dmn', content: model('dinner.dmn') }]);
    await ui.page.getByText('Deployed dinner.dmn:').waitFor();
    expect(await ui.page.locator('.notice li').allInnerTexts()).toEqual(['Dish version 1', 'Beverages version 1']);
  });

  it('shows the decision a business rule task evaluated on its instance, with its inputs and the rule that gave the output', async () => {
    await ui.open('/processes');
    await dropFiles(ui.page, [{ name: 'dinner.bpmn', content: model('dinner.bpmn') }]);
    await ui.page.locator('.notice').getByRole('link', { name: 'Dinner' }).click();
    await ui.page.getByLabel('Season').fill('Winter');
    await ui.page.getByLabel('Guests').fill('4');
    await ui.page.getByRole('button', { name: 'Start instance' }).click();
    await ui.page.waitForURL(/#\/instances\/[0-9a-f-]{36}$/);
    const decisions = ui.page.locator('#decisions-title + div table');
    await expect.poll(() => decisions.innerText().catch(() => '')).toMatch(/Dish v1/);
    const row = await decisions.locator('tbody tr').first().innerText();
    expect(row).toMatch(/decide/);
    expect(row).toMatch(/Season: Winter/);
    expect(row).toMatch(/How many guests: 4/);
    expect(row).toMatch(/rule 2: Dish = Roastbeef/);
    await ui.browser.screenshot('instance-decisions');
  });

  it('moves a token back to decide the dish again, once the season is changed, keeping the move in the audit trail', async () => {
    await ui.page.getByRole('button', { name: 'Edit season' }).click();
    const editor = ui.page.locator('form.variable-editor');
    await editor.getByLabel('Value').fill('Summer');
    await editor.getByRole('button', { name: 'Save' }).click();
    const move = ui.page.getByRole('region', { name: 'Move a token' });
    await move.getByLabel('Cancel').selectOption({ label: 'Cook (cook)' });
    await move.getByLabel('Start before').selectOption({ label: 'Decide the dish (decide)' });
    await move.getByLabel('Why (kept in the audit trail)').fill('the season was wrong');
    await ui.browser.screenshot('instance-move-token');
    await move.getByRole('button', { name: 'Move' }).click();
    const decisions = ui.page.locator('#decisions-title + div table tbody tr');
    await expect.poll(() => decisions.count()).toBe(2);
    expect(await decisions.first().innerText()).toMatch(/Dish = Light Salad and a nice Steak/);
    await expect.poll(() => ui.page.locator('#variables-title + div table').innerText()).toMatch(/dish\s+String\s+Light Salad and a nice Steak/);
    expect(await ui.page.locator('#audit-title + div table').innerText()).toMatch(/ModifyProcessInstance\s+anonymous\s+.*the season was wrong/);
  });

  it('deploys a model dropped on the processes screen and shows its diagram', async () => {
    await ui.open('/processes');
    await dropFiles(ui.page, [{ name: 'expense-report.bpmn', content: model('expense-report.bpmn') }]);
    await ui.page.getByText('Deployed expense-report.bpmn:').waitFor();
    await expect.poll(() => ui.page.locator('table').getByRole('link', { name: 'Expense report' }).count()).toBe(1);
    await ui.browser.screenshot('processes');
    await ui.page.locator('.notice').getByRole('link', { name: 'Expense report' }).click();
    await ui.page.getByRole('heading', { name: /Expense report/ }).waitFor();
    expect(await markers(ui.page, 'fill')).toEqual([]);
    expect(await element(ui.page, 'review').isVisible()).toBe(true);
    await ui.browser.screenshot('definition');
  });

  it('starts an instance from the UI, which waits at the first task on its diagram', async () => {
    await ui.page.getByLabel('Business key (optional)').fill('EXP-1');
    await ui.page.getByRole('button', { name: 'Start instance' }).click();
    await ui.page.waitForURL(/#\/instances\/[0-9a-f-]{36}$/);
    instanceId = ui.page.url().split('/').pop()!;
    await expect.poll(() => markers(ui.page, 'fill')).toContain('marker-active');
    expect(await markers(ui.page, 'submitted')).toContain('marker-completed');
    expect(await markers(ui.page, 'to_fill')).toContain('marker-taken');
    expect(await ui.page.locator('.facts').innerText()).toContain('EXP-1');
    await ui.browser.screenshot('instance-waiting');
  });

  it('claims the task and completes it through its Camunda 7 form, showing what the engine refuses beside the field', async () => {
    await ui.open('/tasks');
    await ui.page.getByRole('link', { name: 'Unassigned' }).click();
    await ui.page.getByRole('link', { name: 'Fill in the expense' }).waitFor();
    await ui.browser.screenshot('tasks');
    await ui.page.getByRole('link', { name: 'Fill in the expense' }).click();
    await ui.page.getByRole('button', { name: 'Claim' }).click();
    await expect.poll(() => ui.page.locator('.facts').innerText()).toContain('demo');

    await ui.page.getByLabel('Purpose').fill('Taxi to the airport');
    await ui.page.getByLabel('Amount').fill('5000');
    await ui.page.getByLabel('Urgent').check();
    await ui.page.getByRole('button', { name: 'Complete' }).click();
    const problem = ui.page.locator('#field-amount-problem');
    await problem.waitFor();
    expect(await problem.innerText()).toContain("'Amount' (amount) must be at most 1000");
    expect(await ui.page.getByLabel('Amount').getAttribute('aria-invalid')).toBe('true');
    expect(await ui.page.locator('#field-purpose-problem').count()).toBe(0);
    await ui.browser.screenshot('task-form-generated');

    await ui.page.getByLabel('Amount').fill('42');
    await ui.page.getByRole('button', { name: 'Complete' }).click();
    await ui.page.waitForURL(new RegExp(`#/instances/${instanceId}$`));
    await expect.poll(() => markers(ui.page, 'review')).toContain('marker-active');
    expect(await markers(ui.page, 'fill')).toContain('marker-completed');
  });

  it('completes the next task through its form-js form, and the instance completes on its diagram', async () => {
    await ui.page.locator('#tasks-title + ul').getByRole('link', { name: 'Review the expense' }).click();
    await ui.page.locator('.fjs-form').waitFor();
    await ui.page.getByLabel('Reviewer').fill('alice');
    await ui.page.getByLabel('Approve').check();
    await ui.page.getByLabel('Comment').fill('Fine');
    await ui.browser.screenshot('task-form-js');
    await ui.page.getByRole('button', { name: 'Complete' }).click();
    await ui.page.waitForURL(new RegExp(`#/instances/${instanceId}$`));
    await expect.poll(() => ui.page.locator('h1 .status').innerText()).toMatch(/completed/i);
    // the status and the diagram are brought up to date by separate renders: the markers may follow a moment later
    await expect.poll(() => markers(ui.page, 'done')).toContain('marker-completed');
    expect(await markers(ui.page, 'to_done')).toContain('marker-taken');
    expect(await ui.page.locator('.diagram .marker-active').count()).toBe(0);
    const variables = await ui.page.locator('#variables-title + div table').innerText();
    expect(variables).toMatch(/amount\s+Long\s+42/);
    expect(variables).toMatch(/verdict\s+String\s+approve/);
    await ui.browser.screenshot('instance-completed');
  });

  it('retries an incident after the variable it needed is set', async () => {
    await ui.open('/processes');
    await ui.page.locator('input[type="file"]').setInputFiles({ name: 'payment-routing.bpmn', mimeType: 'application/xml', buffer: Buffer.from(model('payment-routing.bpmn')) });
    await ui.page.locator('.notice').getByRole('link', { name: 'Payment routing' }).click();
    await ui.page.getByRole('button', { name: 'Start instance' }).click();
    await ui.page.waitForURL(/#\/instances\/[0-9a-f-]{36}$/);
    const paymentId = ui.page.url().split('/').pop()!;
    await expect.poll(() => markers(ui.page, 'route')).toContain('marker-incident');
    expect(await ui.page.locator('.incidents').innerText()).toContain("Variable 'amount' not found");
    await ui.browser.screenshot('instance-incident');

    await ui.page.getByRole('button', { name: 'Add a variable' }).click();
    const editor = ui.page.locator('form.variable-editor');
    await editor.getByLabel('Name').fill('amount');
    await editor.getByLabel('Type').selectOption('Long');
    await editor.getByLabel('Value').fill('50');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => ui.page.locator('#variables-title + div table').innerText()).toMatch(/amount\s+Long\s+50/);

    await ui.open('/incidents');
    const group = ui.page.getByRole('region', { name: 'conditionError in Payment routing v1' });
    await group.waitFor();
    await ui.browser.screenshot('incidents');
    await group.getByRole('button', { name: 'Retry Amount?' }).click();
    await ui.page.getByText('No open incident. Everything runs.').waitFor();

    await ui.open(`/instances/${paymentId}`);
    await expect.poll(() => ui.page.locator('h1 .status').innerText()).toMatch(/completed/i);
    await expect.poll(() => markers(ui.page, 'small')).toContain('marker-completed');
    await expect.poll(() => markers(ui.page, 'route')).not.toContain('marker-incident');
  });

  it('shows where a process\'s instances went as a heatmap on its diagram', async () => {
    await ui.open('/analytics');
    await ui.page.getByRole('region', { name: 'By process' }).getByRole('link', { name: 'Expense report' }).click();
    await ui.page.getByRole('heading', { name: /Heatmap of Expense report/ }).waitFor();
    await expect.poll(() => markers(ui.page, 'fill')).toContain('marker-heat-5');
    expect(await markers(ui.page, 'review')).toContain('marker-heat-5');
    expect(await ui.page.locator('.djs-overlays[data-container-id="fill"] .badge-count').innerText()).toBe('1');
    await ui.page.getByLabel('Average time spent').check();
    await expect.poll(() => ui.page.url()).toContain('measure=wait');
    // the address changes before the view renders the new measure
    await ui.page.getByText('Badges show seconds.').waitFor();
    await ui.browser.screenshot('analytics');
  });

  it('counts the work on the dashboard', async () => {
    await ui.open('/');
    await expect.poll(() => ui.page.locator('[data-testid="summary"]').innerText()).toMatch(/0\s+open incidents/);
    const processes = ui.page.getByRole('region', { name: /Processes/ });
    await expect.poll(() => processes.locator('tbody tr').count()).toBe(3);
    expect(await processes.locator('tbody tr', { hasText: 'Expense report' }).innerText()).toMatch(/Expense report\s+0\s+1\s+0/);
    expect(await processes.locator('tbody tr', { hasText: 'Dinner' }).innerText()).toMatch(/Dinner\s+1\s+0\s+0/);
    await ui.browser.screenshot('dashboard');
  });

  it('stays readable on a phone-width screen', async () => {
    await ui.page.setViewportSize({ width: 390, height: 844 });
    // the ui.page never goes quiet on the network (its event stream stays open): what it shows is waited for
    const screens = [[`/instances/${instanceId}`, 'phone-instance', '.diagram[data-rendered="true"]'], ['/tasks', 'phone-tasks', 'tbody tr, .state.empty']] as const;
    for (const [fragment, name, content] of screens) {
      await ui.open(fragment);
      await ui.page.locator(content).first().waitFor();
      // nothing wider than the screen: wide tables scroll inside their own frame
      expect(await ui.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await ui.browser.screenshot(name);
    }
    await ui.page.setViewportSize({ width: 1280, height: 900 });
  });

  it('asks for a token when the service answers 401, then sends it as a bearer token', async () => {
    const sent: (string | undefined)[] = [];
    await ui.page.route('**/api/processes/**', async (route) => {
      const authorization = route.request().headers().authorization;
      sent.push(authorization);
      if (authorization === undefined) {
        await route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'A bearer token is required' } }) });
      } else await route.continue();
    });
    await ui.open('/instances');
    await ui.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await ui.browser.screenshot('sign-in');
    await ui.page.getByLabel('Access token').fill('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln');
    await ui.page.getByRole('button', { name: 'Sign in' }).click();
    await ui.page.getByRole('heading', { name: 'Instances' }).waitFor();
    await expect.poll(() => sent.at(-1)).toBe('Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln');
    await ui.page.getByRole('link', { name: /^[0-9a-f-]{36}$/ }).first().waitFor();
    // the token's subject is who works the tasks
    await ui.open('/tasks');
    await expect.poll(() => ui.page.getByText('Signed in as alice').isVisible()).toBe(true);
    await ui.page.unroute('**/api/processes/**');

    // a token handed over in the fragment of a link is kept and taken out of the address
    const linked = await ui.browser.context.newPage();
    await linked.goto(`${ui.server.url}/#token=from-the-link`);
    await linked.waitForURL(/#\/$/);
    expect(await linked.evaluate(() => localStorage.getItem('process-manager.token'))).toBe('from-the-link');
    await linked.close();
  });
});
