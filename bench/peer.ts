// Against a peer engine (`npm run bench -- peer`): start → end and the user-task cycle, the same models and
// the same callers, on bpmn-engine (the in-memory BPMN engine for Node; bench/peer-engine.ts) and on this
// engine, in the same run on the same machine:
// - bpmn-engine in the bench's process, and behind a minimal node:http server (bench/peer-http.ts);
// - this engine through its API, and the server over HTTP, on PGlite and on PostgreSQL (a fresh database
//   each round).
// The HTTP load comes from a child process (bench/load-process.ts) for both, so "over HTTP" compares like
// with like. Each round measures every engine in turn, starting with the next one each round. bpmn-engine
// keeps its instances in memory and writes nothing; this engine commits every step with its history.
// Beside each rate: the CPU time per instance, of the bench's process and of PostgreSQL's backends (steadier
// than the rate on a shared machine), and the instances the engine itself saw end and those it left
// unfinished, so that a rate stands for instances that ran to their end event.
import { loadavg } from 'node:os';
import { createEngine, type Engine } from '@dadms/process-engine';
import { createTestDatabase, type BackendName } from '@dadms/process-engine/testing';
import { backendsCpu, cpuBetween } from './database-cpu.js';
import { engineDriver, type Driver } from './drivers.js';
import { startServer } from './in-process-server.js';
import { runLoad } from './load-process.js';
import { percentile, scenario, scenarioTitles, throughput, type Bounds, type ScenarioName, type ThroughputResult } from './measure.js';
import { models, startEnd, userTask } from './models.js';
import { peerDriver } from './peer-engine.js';
import { serveDriver } from './peer-http.js';
import { table } from './table.js';

const PEER_SCENARIOS: ScenarioName[] = ['start-end', 'user-task'];

export interface PeerSettings {
  backends: BackendName[];
  concurrency: number;
  warmup: Bounds;
  bounds: Bounds;
  rounds: number;
}

type Subject = 'bpmn-engine' | BackendName;
type Path = 'in-process' | 'HTTP';

export interface PeerRun {
  perSecond: number;
  /**
   * CPU ms of the bench's process per instance ended: the engine's, or over HTTP the server's (the load runs
   * in a child process), whose figure includes the warm-up, in its time and in its instances
   */
  cpuMsPerInstance: number;
  /** CPU ms of PostgreSQL's backends per instance ended, measured alike; 0 where the engine runs in the bench's process */
  databaseCpuMsPerInstance: number;
  /** instances the load counted as done */
  completed: number;
  /** instances the engine saw end while the figure ran (over HTTP, warm-up included) */
  ended: number;
  /** instances started and not ended, once the load had stopped */
  unfinished: number;
  errors: number;
  firstError?: string;
}

export interface PeerRow {
  subject: Subject;
  path: Path;
  scenario: ScenarioName;
  runs: PeerRun[];
}

/** what an engine has done so far */
interface Meter {
  /** the instances it has started and those it has ended */
  counts(): Promise<{ started: number; ended: number }>;
  /** the CPU ms, by pid, of the processes besides the bench's that do its work: PostgreSQL's backends */
  outsideCpu(): Promise<Map<number, number>>;
}

const subjectTitles: Record<Subject, string> = { 'bpmn-engine': 'bpmn-engine', pglite: 'ours PGlite', postgres: 'ours PostgreSQL' };
const pathTitles: Record<Subject, Record<Path, string>> = {
  'bpmn-engine': { 'in-process': 'in-process', HTTP: 'HTTP' },
  pglite: { 'in-process': 'engine', HTTP: 'HTTP' },
  postgres: { 'in-process': 'engine', HTTP: 'HTTP' },
};
const title = (row: { subject: Subject; path: Path }) => `${subjectTitles[row.subject]} ${pathTitles[row.subject][row.path]}`;

export async function benchAgainstPeer(settings: PeerSettings, log: (line: string) => void): Promise<PeerRow[]> {
  const rows: PeerRow[] = [];
  const record = async (subject: Subject, path: Path, name: ScenarioName, figure: () => Promise<PeerRun>) => {
    let row = rows.find((r) => r.subject === subject && r.path === path && r.scenario === name);
    if (!row) rows.push((row = { subject, path, scenario: name, runs: [] }));
    const run = await figure();
    row.runs.push(run);
    const database = run.databaseCpuMsPerInstance ? ` + ${run.databaseCpuMsPerInstance.toFixed(2)} ms of PostgreSQL's` : '';
    log(`  ${title(row)} ${scenarioTitles[name]}: ${run.perSecond.toFixed(0)}/s, ${run.cpuMsPerInstance.toFixed(2)} ms CPU/instance${database}, `
      + `${run.completed} done, ${run.ended} ended in the engine, ${run.unfinished} unfinished`
      + `${run.errors ? `, ${run.errors} errors (first: ${run.firstError})` : ''}`);
  };
  const peer = await peerDriver([startEnd, userTask]);
  log(`peer: bpmn-engine ${peer.version} (in memory) against this engine, ${settings.concurrency} callers, ${settings.rounds} round(s) taking turns`);
  const peerMeter: Meter = { counts: async () => peer.counts(), outsideCpu: async () => new Map() };
  const measurePeer = async () => {
    for (const name of PEER_SCENARIOS) await record('bpmn-engine', 'in-process', name, () => inProcess(settings, peer, name, peerMeter));
    const server = await serveDriver(peer);
    try {
      for (const name of PEER_SCENARIOS) await record('bpmn-engine', 'HTTP', name, () => overHttp(settings, server.baseUrl, name, peerMeter));
    } finally {
      await server.close();
    }
  };
  const measureOurs = async (backend: BackendName) => {
    const db = await createTestDatabase(backend, 'bench-peer');
    try {
      const engine = await createEngine(db.options);
      try {
        for (const model of models) await engine.deploy({ bpmn_xml: model.xml, name: model.key });
        for (const name of PEER_SCENARIOS) {
          await record(backend, 'in-process', name, () => inProcess(settings, engineDriver(engine), name, engineMeter(engine, db.options.databaseUrl)));
        }
      } finally {
        await engine.close();
      }
      const { app, baseUrl } = await startServer(db.options);
      try {
        for (const name of PEER_SCENARIOS) await record(backend, 'HTTP', name, () => overHttp(settings, baseUrl, name, engineMeter(app.engine, db.options.databaseUrl)));
      } finally {
        await app.close();
      }
    } finally {
      await db.drop();
    }
  };
  const turns = [measurePeer, ...settings.backends.map((backend) => () => measureOurs(backend))];
  for (let round = 0; round < settings.rounds; round++) {
    log(` round ${round + 1} of ${settings.rounds}, load average ${loadavg()[0]!.toFixed(1)}`);
    // each round starts with the next engine, so that none is always the one measured right after another's database was dropped
    for (let turn = 0; turn < turns.length; turn++) await turns[(round + turn) % turns.length]!();
  }
  return rows;
}

/** the instances in the store (every one is started, the completed ones ended), and on PostgreSQL its backends' CPU */
function engineMeter(engine: Engine, databaseUrl: string | undefined): Meter {
  return {
    counts: async () => ({
      started: (await engine.listInstances({ limit: 1 })).total,
      ended: (await engine.listInstances({ status: 'completed', limit: 1 })).total,
    }),
    outsideCpu: async () => (databaseUrl ? backendsCpu(databaseUrl) : new Map()),
  };
}

async function inProcess(settings: PeerSettings, driver: Driver, name: ScenarioName, meter: Meter): Promise<PeerRun> {
  const once = scenario(name, driver);
  await throughput(once, settings.concurrency, settings.warmup);
  return measure(meter, () => throughput(once, settings.concurrency, settings.bounds));
}

function overHttp(settings: PeerSettings, baseUrl: string, name: ScenarioName, meter: Meter): Promise<PeerRun> {
  const { concurrency, warmup, bounds } = settings;
  return measure(meter, () => runLoad<ThroughputResult>({ kind: 'throughput', baseUrl, scenario: name, concurrency, warmup, bounds }));
}

/** the load's figures, with the instances the engine ended meanwhile and the CPU it spent on them */
async function measure(meter: Meter, load: () => Promise<ThroughputResult>): Promise<PeerRun> {
  const before = await meter.counts();
  const outsideBefore = await meter.outsideCpu();
  const cpuBefore = process.cpuUsage();
  const { perSecond, completed, errors, firstError } = await load();
  const cpu = process.cpuUsage(cpuBefore);
  const outsideMs = cpuBetween(outsideBefore, await meter.outsideCpu());
  const after = await meter.counts();
  const ended = after.ended - before.ended;
  return {
    perSecond, cpuMsPerInstance: (cpu.user + cpu.system) / 1000 / ended, databaseCpuMsPerInstance: outsideMs / ended,
    completed, ended, unfinished: after.started - after.ended, errors, firstError,
  };
}

/**
 * The means of the rounds; beside each of this engine's, the median of its rounds' ratios to bpmn-engine's on
 * the same path (each ratio taken within a round, as the machine's load changes between rounds)
 */
export function printPeerSummary(rows: PeerRow[], concurrency: number): void {
  const columns = [...new Map(rows.map((r) => [title(r), { subject: r.subject, path: r.path }])).values()];
  const runsOf = (subject: Subject, path: Path, name: ScenarioName) => rows.find((r) => r.subject === subject && r.path === path && r.scenario === name)!.runs;
  const mean = (runs: PeerRun[], of: (run: PeerRun) => number) => runs.reduce((sum, r) => sum + of(r), 0) / runs.length;
  const cpu = (run: PeerRun) => run.cpuMsPerInstance + run.databaseCpuMsPerInstance;
  const tableOf = (of: (run: PeerRun) => number, shown: (runs: PeerRun[]) => string) => table(
    ['scenario', ...columns.map(title)],
    PEER_SCENARIOS.map((name) => [scenarioTitles[name], ...columns.map(({ subject, path }) => {
      const runs = runsOf(subject, path, name);
      if (subject === 'bpmn-engine') return shown(runs);
      const peer = runsOf('bpmn-engine', path, name);
      return `${shown(runs)} (${percentile(runs.map((r, i) => of(r) / of(peer[i]!)), 0.5).toFixed(2)}×)`;
    })]),
  );
  console.log(`\nAgainst bpmn-engine (in memory, nothing persisted): instances/s, ${concurrency} callers, the mean of ${rows[0]?.runs.length ?? 0} `
    + 'round(s); beside this engine\'s, the median of its rounds\' ratios to bpmn-engine on the same path (engine API to in-process, HTTP to HTTP)');
  tableOf((r) => r.perSecond, (runs) => mean(runs, (r) => r.perSecond).toFixed(0));
  console.log('\nCPU ms per instance, the bench\'s process (in process the engine, over HTTP the server; the load is another process) '
    + '+ PostgreSQL\'s backends; the ratios as above');
  tableOf(cpu, (runs) => {
    const database = mean(runs, (r) => r.databaseCpuMsPerInstance);
    return `${mean(runs, (r) => r.cpuMsPerInstance).toFixed(2)}${database ? ` + ${database.toFixed(2)}` : ''}`;
  });
  const short = rows.flatMap((row) => row.runs.filter((r) => r.unfinished > 0 || r.ended < r.completed || r.errors > 0).map((r) => ({ row, r })));
  console.log(short.length
    ? short.map(({ row, r }) => `NOT every instance ended: ${title(row)} ${scenarioTitles[row.scenario]}: ${r.completed} done, ${r.ended} ended, `
      + `${r.unfinished} unfinished, ${r.errors} errors${r.firstError ? ` (first: ${r.firstError})` : ''}`).join('\n')
    : 'every instance the load counted ended in its engine, none was left unfinished, no errors');
}
