// Erasing an ended instance's history at once, and deleting a definition with its instances: nothing of
// theirs stays behind, audit and outbox rows included, and the instances they called go with them.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../../src/testing/index.js';
import { calling, clockAt, completeTasks, NONE, openEngine, ownership, rowCounts, withIncident, withTask } from './support.js';

describe.each(testBackends())('erasing history on %s', (backend) => {
  let database: TestDatabase | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    await database?.drop();
    engine = undefined;
  });

  const open = async (label: string, models: string[]) => {
    database = await createTestDatabase(backend, `retention/${label}`);
    engine = await openEngine(database, clockAt(new Date()));
    for (const xml of models) await engine.deploy({ bpmn_xml: xml });
    return engine;
  };

  /** closes the engine to read the rows, and opens it again */
  const countsOf = async (instanceIds: string[]) => {
    await engine!.close();
    const counts = await rowCounts(database!, await ownership(database!, instanceIds));
    engine = await openEngine(database!, clockAt(new Date()));
    return counts;
  };

  it('erases an ended instance with everything it owns, and refuses a running one', async () => {
    const e = await open('erase', [withTask('erased'), withIncident('aborted', '30')]);
    const ended = (await e.startInstance({ process_definition_key: 'erased', variables: { a: { value: 'x' } } })).id;
    await completeTasks(e, ended);
    // listed, the ended instance's events have their positions; the other instances' still wait for theirs
    expect((await e.listEvents({ process_instance_id: ended })).total).toBeGreaterThan(0);
    const aborted = (await e.startInstance({ process_definition_key: 'aborted' })).id;
    const [incident] = (await e.listIncidents({ process_instance_id: aborted })).data;
    await e.resolveIncident(incident!.id, { resolution_type: 'abort' });
    const running = (await e.startInstance({ process_definition_key: 'erased' })).id;
    const before = await countsOf([ended, aborted]);
    expect(before.audit_log * before.outbox * before.incident_history * before.task_identity_links).toBeGreaterThan(0);
    const runningBefore = await countsOf([running]);

    await expect(engine!.eraseInstanceHistory(running)).rejects.toMatchObject({ code: 'CONFLICT' });
    await engine!.eraseInstanceHistory(ended);
    await engine!.eraseInstanceHistory(aborted);
    await expect(engine!.getInstance(ended)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine!.eraseInstanceHistory(ended)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(engine!.eraseInstanceHistory('not-an-id')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await countsOf([ended, aborted])).toEqual(NONE);
    expect(await countsOf([running])).toEqual(runningBefore);
  });

  it('refuses to erase a called instance while its caller runs, and erases what a root called with it', async () => {
    const e = await open('erase-calls', [withTask('leaf'), calling('middle', 'leaf', '30'), calling('top', 'middle', '30')]);
    const top = (await e.startInstance({ process_definition_key: 'top' })).id;
    const [middle] = (await e.listInstances({ super_instance_id: top })).data;
    const [leaf] = (await e.listInstances({ super_instance_id: middle!.id })).data;
    await e.terminateInstance(leaf!.id);
    // the leaf has ended, but its caller waits on at its call activity (an incident there)
    expect((await e.getInstance(leaf!.id)).status).toBe('externally_terminated');
    await expect(e.eraseInstanceHistory(leaf!.id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(middle!.id) });
    await e.terminateInstance(top);
    await e.eraseInstanceHistory(top);
    expect((await e.listInstances({})).total).toBe(0);
    expect(await countsOf([top, middle!.id, leaf!.id])).toEqual(NONE);
  });

  it('erases a called instance of an ended tree with what it called, and its caller stays readable', async () => {
    const e = await open('erase-child', [withTask('leaf'), calling('middle', 'leaf', '30'), calling('top', 'middle', '30')]);
    const top = (await e.startInstance({ process_definition_key: 'top' })).id;
    const [middle] = (await e.listInstances({ super_instance_id: top })).data;
    const [leaf] = (await e.listInstances({ super_instance_id: middle!.id })).data;
    await completeTasks(e, leaf!.id);
    expect((await e.getInstance(top)).status).toBe('completed');
    await e.eraseInstanceHistory(middle!.id);
    expect((await e.listInstances({})).data.map((i) => i.id)).toEqual([top]);
    const details = await e.getInstance(top);
    expect(details.activities.find((a) => a.activity_id === 'call')).toMatchObject({ called_instance_id: middle!.id });
    expect(await countsOf([middle!.id, leaf!.id])).toEqual(NONE);
  });

  it('deletes a definition with cascade leaving no row of its instances, audit and outbox included', async () => {
    const e = await open('cascade', [withTask('doomed'), calling('doomed_caller', 'doomed', '30'), withTask('other')]);
    const alone = (await e.startInstance({ process_definition_key: 'doomed' })).id;
    await completeTasks(e, alone);
    const caller = (await e.startInstance({ process_definition_key: 'doomed_caller' })).id;
    const other = (await e.startInstance({ process_definition_key: 'other' })).id;
    const [called] = (await e.listInstances({ super_instance_id: caller })).data;
    const otherBefore = await countsOf([other]);
    const { data: [callerDefinition] } = await engine!.listDefinitions({ key: 'doomed_caller' });

    await engine!.deleteDefinition(callerDefinition!.id, { cascade: true });
    // what the caller called went with it; its own definition's instance that no caller owns stays
    expect((await engine!.listInstances({})).data.map((i) => i.id).sort()).toEqual([alone, other].sort());
    const { data: [doomed] } = await engine!.listDefinitions({ key: 'doomed' });
    await engine!.deleteDefinition(doomed!.id, { cascade: true });
    expect(await countsOf([alone, caller, called!.id])).toEqual(NONE);
    expect(await countsOf([other])).toEqual(otherBefore);
  });
});
