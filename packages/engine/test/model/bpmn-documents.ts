// Inline BPMN documents for the model tests, and shortcuts to their compiled or refused forms.
import { expect } from 'vitest';
import { isEngineError, type Problem } from '../../src/errors.js';
import { createCompileContext } from '../../src/model/compile-context.js';
import { compileDefinitions } from '../../src/model/compile-model.js';
import { compileProcess, type CompiledProcess } from '../../src/model/compile-process.js';
import { children, isA } from '../../src/model/moddle-access.js';
import type { ProcessModel } from '../../src/model/process-model.js';
import { readBpmn } from '../../src/model/read-bpmn.js';

const NAMESPACES = [
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
  'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
].join(' ');

/** A definitions document around `content` (processes, messages, collaborations). */
export function definitions(content: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${NAMESPACES} id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">\n${content}\n</bpmn:definitions>`;
}

/** A document with one executable process `Process_1` holding `body`; `roots` go before it. */
export function processXml(body: string, roots = ''): string {
  return definitions(`${roots}<bpmn:process id="Process_1" name="Process one" isExecutable="true">\n${body}\n</bpmn:process>`);
}

export async function compileOne(xml: string | Uint8Array): Promise<ProcessModel> {
  const { processes } = await compileDefinitions(xml);
  expect(processes).toHaveLength(1);
  return processes[0]!;
}

/** The problems of a document that must be refused. */
export async function problemsOf(xml: string | Uint8Array): Promise<Problem[]> {
  try {
    await compileDefinitions(xml);
  } catch (error) {
    if (isEngineError(error) && error.code === 'INVALID_BPMN') return error.details!.problems as Problem[];
    throw error;
  }
  throw new Error('the document was accepted');
}

/** The first process compiled but neither validated nor frozen: how refused constructs were parsed. */
export async function draftOf(xml: string): Promise<CompiledProcess> {
  const reading = await readBpmn(xml);
  const ctx = createCompileContext([...reading.problems], reading.unresolved);
  const process = children(reading.definitions, 'rootElements').find((root) => isA(root, 'bpmn:Process'))!;
  const compiled = compileProcess(process, undefined, ctx)!;
  expect(ctx.problems).toEqual([]);
  return compiled;
}

/** A flow between two nodes, the usual filler of test processes. */
export function flow(id: string, source: string, target: string, inner = ''): string {
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">${inner}</bpmn:sequenceFlow>`;
}
