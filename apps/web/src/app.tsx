// The frame of every screen: the navigation, the screen the address names, and the sign-in form whenever
// the service answers 401.
import { useEffect, useState } from 'preact/hooks';
import { onUnauthenticated } from './api/client.js';
import { useLiveState } from './live-updates.js';
import { useRoute, type Route } from './router.js';
import { Analytics } from './views/analytics.js';
import { Dashboard } from './views/dashboard.js';
import { Definition } from './views/definition.js';
import { Incidents } from './views/incidents.js';
import { Instance } from './views/instance.js';
import { Instances } from './views/instances.js';
import { Processes } from './views/processes.js';
import { SignIn } from './views/sign-in.js';
import { Task } from './views/task.js';
import { Tasks } from './views/tasks.js';

const SECTIONS = [
  { path: '', label: 'Dashboard' },
  { path: 'processes', label: 'Processes' },
  { path: 'instances', label: 'Instances' },
  { path: 'tasks', label: 'Tasks' },
  { path: 'incidents', label: 'Incidents' },
  { path: 'analytics', label: 'Analytics' },
] as const;

function Screen({ route }: { route: Route }) {
  const [section = '', id] = route.segments;
  switch (section) {
    case '': return <Dashboard />;
    case 'processes': return id ? <Definition id={id} /> : <Processes />;
    case 'instances': return id ? <Instance id={id} /> : <Instances route={route} />;
    case 'tasks': return id ? <Task id={id} /> : <Tasks route={route} />;
    case 'incidents': return <Incidents />;
    case 'analytics': return <Analytics route={route} />;
    default: return <p class="error" role="alert">There is no page at this address. <a href="#/">Go to the dashboard.</a></p>;
  }
}

const LIVE_STATES = {
  open: { label: 'Live', title: 'Screens change as the service does (GET /events/stream)' },
  connecting: { label: 'Connecting…', title: 'Opening the event stream' },
  down: { label: 'Refreshing every 5 s', title: 'The event stream is refused or down: screens fetch again every 5 seconds' },
} as const;

function LiveState() {
  const state = useLiveState();
  return <span class="live-state" data-state={state} title={LIVE_STATES[state].title}>{LIVE_STATES[state].label}</span>;
}

export function App() {
  const route = useRoute();
  const [signInNeeded, setSignInNeeded] = useState(false);
  // a new sign-in mounts the screen again, so that it fetches with the new token
  const [session, setSession] = useState(0);
  useEffect(() => onUnauthenticated(() => setSignInNeeded(true)), []);
  const section = route.segments[0] ?? '';

  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header class="top">
        <a class="brand" href="#/">Process manager</a>
        <nav aria-label="Sections">
          {SECTIONS.map((s) => (
            <a key={s.path} href={`#/${s.path}`} aria-current={s.path === section ? 'page' : undefined}>{s.label}</a>
          ))}
          <a href="/docs">API</a>
        </nav>
        <LiveState />
      </header>
      <main id="main" tabIndex={-1}>
        {signInNeeded
          ? <SignIn onSignedIn={() => { setSignInNeeded(false); setSession((n) => n + 1); }} />
          : <Screen key={`${session}:${route.segments.join('/')}`} route={route} />}
      </main>
    </>
  );
}
