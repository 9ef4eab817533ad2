import { invalidBpmn, isEngineError, type Problem } from '../errors.js';
import { createCompileContext, type CompileContext } from './compile-context.js';
import { compileProcess } from './compile-process.js';
import { deepFreeze } from './deep-freeze.js';
import { child, children, flag, isA, text, type ModdleElement } from './moddle-access.js';
import type { CompiledDefinitions, ProcessModel } from './process-model.js';
import { readBpmn, type ReadOptions } from './read-bpmn.js';
import { storedLengthProblems } from './stored-lengths.js';
import { validateProcess } from './validate-model.js';

/**
 * Compiles a BPMN file into deeply frozen process models, one per executable process, in document
 * order. A process with isExecutable="false" is skipped (without the attribute it counts as
 * executable). Every problem of the file is reported at once, in one EngineError INVALID_BPMN; a
 * document over `maxBytes` is refused with PAYLOAD_TOO_LARGE. No other error escapes for bad input.
 */
export async function compileDefinitions(xml: string | Uint8Array, options: ReadOptions = {}): Promise<CompiledDefinitions> {
  try {
    const reading = await readBpmn(xml, options);
    const problems = [...reading.problems];
    const ctx = createCompileContext(problems, reading.unresolved);
    const processes = compileProcesses(reading.definitions, ctx);
    if (problems.length > 0) throw invalidBpmn(problems);
    return deepFreeze({ processes, openEnded: ctx.openEnded });
  } catch (error) {
    if (isEngineError(error)) throw error;
    // A file that trips the compiler is still the client's file: answer with a problem, not a crash.
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidBpmn([{ element_id: null, message: `The model could not be compiled: ${reason}` }]);
  }
}

function compileProcesses(definitions: ModdleElement, ctx: CompileContext): ProcessModel[] {
  const roots = children(definitions, 'rootElements');
  const processes = roots.filter((root) => isA(root, 'bpmn:Process'));
  const executable = processes.filter((process) => flag(process, 'isExecutable') !== false);
  if (executable.length === 0) {
    ctx.problems.push(noExecutableProcess(processes.length));
    return [];
  }
  const poolNames = participantNames(roots);
  return executable.flatMap((process) => {
    const compiled = compileProcess(process, poolNames.get(process), ctx);
    if (compiled === undefined) return [];
    ctx.problems.push(...validateProcess(compiled), ...storedLengthProblems(compiled.model));
    return [compiled.model];
  });
}

function noExecutableProcess(processCount: number): Problem {
  return {
    element_id: null,
    message: processCount === 0
      ? 'The file contains no process'
      : 'The file contains no executable process: every process is marked isExecutable="false"',
  };
}

/** In a collaboration the pool often carries the name that its process lacks. */
function participantNames(roots: readonly ModdleElement[]): Map<ModdleElement, string> {
  const names = new Map<ModdleElement, string>();
  for (const collaboration of roots.filter((root) => isA(root, 'bpmn:Collaboration'))) {
    for (const participant of children(collaboration, 'participants')) {
      const process = child(participant, 'processRef');
      const name = text(participant, 'name');
      if (process !== undefined && name !== undefined && !names.has(process)) names.set(process, name);
    }
  }
  return names;
}
