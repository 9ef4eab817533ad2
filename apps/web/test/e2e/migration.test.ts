// Migrating running instances from the definition screen, in Chromium against the real server: the plan
// shown, every running instance of the version moved to the next one, and a migration the service refuses
// shown with each problem by instance and element.
import { describe, expect, it } from 'vitest';
import type { UiServer } from '../support/ui-server.js';
import { uiSession } from '../support/ui-session.js';

/** start → `review` (a user task, or a worker's task) → end */
const order = (review: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d_order" targetNamespace="t">
  <bpmn:process id="order" name="Order" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    ${review}
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

async function call<T>(server: UiServer, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api/processes${path}`, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

const deploy = async (server: UiServer, xml: string) =>
  (await call<{ definitions: { id: string }[] }>(server, 'POST', '/definitions', { bpmn_xml: xml })).definitions[0]!.id;

describe('migrating instances in the UI', () => {
  const versions: string[] = [];
  const instances: string[] = [];
  const ui = uiSession('migration', async (server) => {
    versions.push(await deploy(server, order('<bpmn:userTask id="review" name="Review" />')));
    for (let i = 0; i < 2; i++) instances.push((await call<{ id: string }>(server, 'POST', '/instances', { process_definition_key: 'order' })).id);
    versions.push(await deploy(server, order('<bpmn:userTask id="review" name="Review the order" />')));
  });
  const definitionOf = async (id: string) => (await call<{ process_definition_id: string }>(ui.server, 'GET', `/instances/${id}`)).process_definition_id;

  it('shows the plan and moves every running instance of the version to the one chosen', async () => {
    await ui.open(`/processes/${versions[0]}`);
    const panel = ui.page.getByRole('region', { name: 'Migrate running instances' });
    await panel.locator('tbody tr').first().waitFor();
    expect(await panel.locator('tbody tr').allInnerTexts()).toEqual(['start\tstart', 'review\treview', 'end\tend']);
    await ui.browser.screenshot('definition-migrate');
    await panel.getByRole('button', { name: 'Migrate 2 running instances to version 2' }).click();
    await panel.getByText('Migrated 2 instances to version 2').waitFor();
    expect(await Promise.all(instances.map(definitionOf))).toEqual([versions[1], versions[1]]);
    await expect.poll(() => panel.getByRole('button', { name: /Migrate 0 running instances/ }).isDisabled()).toBe(true);
  });

  it('names each problem of a migration the service refuses, by instance and element, and moves nothing', async () => {
    await deploy(ui.server, order('<bpmn:serviceTask id="review" camunda:type="external" camunda:topic="review" />'));
    await ui.open(`/processes/${versions[1]}`);
    const panel = ui.page.getByRole('region', { name: 'Migrate running instances' });
    await panel.getByLabel('To version').selectOption({ label: '3' });
    // the review is a worker's task in version 3: the plan leaves it out
    await expect.poll(() => panel.locator('tbody tr').allInnerTexts()).toEqual(['start\tstart', 'end\tend']);
    await panel.getByRole('button', { name: 'Migrate 2 running instances to version 3' }).click();
    const problems = panel.locator('.problems li');
    await expect.poll(() => problems.count()).toBe(2);
    expect(await problems.allInnerTexts()).toEqual(instances.map((id) => `instance ${id}: review The instance is at 'review', which the migration maps to nothing`).sort());
    expect(await Promise.all(instances.map(definitionOf))).toEqual([versions[1], versions[1]]);
  });
});
