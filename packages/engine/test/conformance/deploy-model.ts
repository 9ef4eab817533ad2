// Deploying a fixture's file: a BPMN model, or a DMN file's decisions.
import type { Engine } from '../../src/index.js';

export type Deploying = Pick<Engine, 'deploy' | 'deployDecisions'>;

/** A `.dmn` file deploys its decisions, any other file its processes: what it made, by key and version. */
export async function deployModel(engine: Deploying, file: string, xml: string, tenant_id?: string): Promise<{ processes: boolean; deployed: { key: string; version: number }[] }> {
  const made = file.endsWith('.dmn')
    ? (await engine.deployDecisions({ dmn_xml: xml, name: file, tenant_id })).decisions
    : (await engine.deploy({ bpmn_xml: xml, name: file, tenant_id })).definitions;
  return { processes: !file.endsWith('.dmn'), deployed: made.map((d) => ({ key: d.key, version: d.version })) };
}
