// Start forms and linked forms end to end, in Chromium against the real server on PGlite: an instance
// started from the UI through its process's start form, the engine's refusal shown beside the field it
// names, and the variables the instance starts with; a Camunda 8 model deployed by dropping it with the
// .form files it links to by formId, its start form and task form rendered by form-js.
import { describe, expect, it } from 'vitest';
import { dropFiles, model } from '../support/models.js';
import { uiSession } from '../support/ui-session.js';

describe('forms in Chromium', () => {
  const ui = uiSession('forms');
  /** deploys through the API and opens the definition's ui.page */
  const openDefinition = async (body: unknown) => {
    const deployed = await ui.server.server.expect<{ definitions: { id: string }[] }>(201, 'POST', '/definitions', body);
    await ui.open(`/processes/${deployed.definitions[0]!.id}`);
    await ui.page.locator('.diagram[data-rendered="true"]').waitFor();
  };
  const variablesTable = () => ui.page.locator('#variables-title + div table').innerText();

  it('starts an instance through its generated start form, showing what the engine refuses beside the field', async () => {
    await openDefinition({ bpmn_xml: model('trip-request.bpmn') });
    await ui.page.getByLabel('Destination').waitFor();
    await ui.page.getByLabel('Nights').fill('20');
    await ui.page.getByRole('button', { name: 'Start instance' }).click();
    await ui.page.locator('#field-nights-problem').waitFor();
    expect(await ui.page.locator('#field-nights-problem').innerText()).toContain("'Nights' (nights) must be at most 14");
    expect(await ui.page.locator('#field-destination-problem').innerText()).toContain("'Destination' (destination) is required");
    expect(await ui.page.getByLabel('Destination').getAttribute('aria-invalid')).toBe('true');
    await ui.browser.screenshot('start-form-generated');

    await ui.page.getByLabel('Destination').fill('Lyon');
    await ui.page.getByLabel('Nights').fill('3');
    await ui.page.getByRole('button', { name: 'Start instance' }).click();
    await ui.page.waitForURL(/#\/instances\/[0-9a-f-]{36}$/);
    await expect.poll(variablesTable).toMatch(/destination\s+String\s+Lyon/);
    expect(await variablesTable()).toMatch(/nights\s+Long\s+3/);
  });

  it('deploys a model dropped with the forms it links to, and starts and completes it through them', async () => {
    await ui.open('/processes');
    await dropFiles(ui.page, ['leave-request.bpmn', 'leave-request.form', 'leave-decision.form'].map((name) => ({ name, content: model(name) })));
    await ui.page.getByText('Deployed leave-request.bpmn, leave-request.form, leave-decision.form:').waitFor();
    await ui.page.locator('.notice').getByRole('link', { name: 'Leave request' }).click();

    // the linked start form, by form-js, which checks in the browser first
    await ui.page.locator('.form-js [data-rendered="true"]').waitFor();
    await ui.page.getByLabel('Employee').fill('Sam');
    await ui.page.getByLabel('Days').fill('3');
    await ui.page.getByLabel('Reason').fill('A wedding');
    await ui.browser.screenshot('start-form-js');
    await ui.page.getByRole('button', { name: 'Start instance' }).click();
    await ui.page.waitForURL(/#\/instances\/[0-9a-f-]{36}$/);
    await expect.poll(variablesTable).toMatch(/days\s+Long\s+3/);
    expect(await variablesTable()).toMatch(/employee\s+String\s+Sam/);

    // the linked task form
    await ui.page.locator('#tasks-title + ul').getByRole('link', { name: 'Decide on the leave' }).click();
    await ui.page.locator('.form-js [data-rendered="true"]').waitFor();
    await ui.page.getByLabel('Grant').check();
    await ui.page.getByLabel('Note for the employee').fill('Enjoy');
    await ui.browser.screenshot('task-form-linked');
    await ui.page.getByRole('button', { name: 'Complete' }).click();
    await ui.page.waitForURL(/#\/instances\/[0-9a-f-]{36}$/);
    await expect.poll(() => ui.page.locator('h1 .status').innerText()).toMatch(/completed/i);
    expect(await variablesTable()).toMatch(/decision\s+String\s+grant/);
  });

  it('refuses a model whose linked form is not deployed, naming the element', async () => {
    await ui.open('/processes');
    await dropFiles(ui.page, [{ name: 'orphan.bpmn', content: model('leave-request.bpmn').replaceAll('leave_request', 'orphan_request').replace('formId="leave-decision"', 'formId="nowhere"') }]);
    const problems = ui.page.locator('.problems li');
    await problems.first().waitFor();
    expect(await problems.innerText()).toContain("The form 'nowhere'");
    expect(await problems.locator('code').allInnerTexts()).toContain('decide');
  });
});
