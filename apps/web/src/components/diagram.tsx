// A BPMN diagram (bpmn-js NavigatedViewer: pan with the mouse or the arrow keys, zoom with the wheel) with
// what happened on it marked: the path taken, the elements a token waits at, open incidents and, for a
// heatmap, how often each element was entered. bpmn-js and its stylesheets load when a diagram is first shown.
import { useEffect, useRef, useState } from 'preact/hooks';

export interface DiagramMarks {
  /** elements a token is at now */
  active?: readonly string[];
  /** elements the instance entered, and the sequence flows it took */
  completed?: readonly string[];
  flows?: readonly string[];
  /** open incidents, each marked on its element with its message */
  incidents?: readonly { activity_id?: string; incident_message: string }[];
  /** a figure per element (a heatmap): shown as a badge, with the element shaded by its share of the largest */
  counts?: Readonly<Record<string, number>>;
}

interface Viewer {
  importXML(xml: string): Promise<unknown>;
  get<T>(service: string): T;
  destroy(): void;
}
interface Canvas {
  zoom(level: 'fit-viewport'): void;
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
}
interface Overlays {
  add(id: string, type: string, overlay: { position: Record<string, number>; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}
interface ElementRegistry {
  get(id: string): unknown;
}

const OVERLAY_TYPE = 'process-manager';
const HEAT_LEVELS = 5;

export function Diagram({ xml, marks, label }: { xml: string; marks?: DiagramMarks; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [viewer, setViewer] = useState<Viewer>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let created: Viewer | undefined;
    let cancelled = false;
    setViewer(undefined);
    setError(undefined);
    Promise.all([
      import('bpmn-js/lib/NavigatedViewer.js'), import('bpmn-js/dist/assets/diagram-js.css'), import('bpmn-js/dist/assets/bpmn-js.css'),
    ])
      .then(async ([module]) => {
        if (cancelled || !container.current) return;
        // bpmn-js ships ES modules without declaring them so; its typings then read as CommonJS
        const NavigatedViewer = (module as unknown as { default: new (options: object) => Viewer }).default;
        created = new NavigatedViewer({ container: container.current, keyboard: { bindTo: container.current } });
        await created.importXML(xml);
        if (cancelled) return;
        created.get<Canvas>('canvas').zoom('fit-viewport');
        setViewer(created);
      })
      .catch((e: Error) => { if (!cancelled) setError(`The diagram cannot be shown: ${e.message}`); });
    return () => {
      cancelled = true;
      created?.destroy();
    };
  }, [xml]);

  useEffect(() => {
    if (!viewer || !marks) return undefined;
    return applyMarks(viewer, marks);
  }, [viewer, marks]);

  return (
    <div class="diagram-frame">
      {error && <p class="error" role="alert">{error}</p>}
      <div
        class="diagram"
        ref={container}
        tabIndex={0}
        role="img"
        aria-label={label}
        data-rendered={viewer ? 'true' : undefined}
      />
    </div>
  );
}

/** Adds the marks; answers how to take them off again. */
function applyMarks(viewer: Viewer, marks: DiagramMarks): () => void {
  const canvas = viewer.get<Canvas>('canvas');
  const overlays = viewer.get<Overlays>('overlays');
  const registry = viewer.get<ElementRegistry>('elementRegistry');
  const added: [string, string][] = [];
  const mark = (id: string | undefined, marker: string) => {
    if (id === undefined || !registry.get(id)) return;
    canvas.addMarker(id, marker);
    added.push([id, marker]);
  };
  const badge = (id: string | undefined, className: string, text: string, title: string) => {
    if (id === undefined || !registry.get(id)) return;
    const html = document.createElement('span');
    html.className = `badge ${className}`;
    html.textContent = text;
    html.title = title;
    overlays.add(id, OVERLAY_TYPE, { position: { top: -10, right: 10 }, html });
  };
  for (const id of marks.completed ?? []) mark(id, 'marker-completed');
  for (const id of marks.flows ?? []) mark(id, 'marker-taken');
  for (const id of marks.active ?? []) mark(id, 'marker-active');
  for (const incident of marks.incidents ?? []) {
    mark(incident.activity_id, 'marker-incident');
    badge(incident.activity_id, 'badge-incident', '!', incident.incident_message);
  }
  const counts = Object.entries(marks.counts ?? {});
  const largest = Math.max(1, ...counts.map(([, n]) => n));
  for (const [id, n] of counts) {
    mark(id, `marker-heat-${Math.max(1, Math.ceil((n / largest) * HEAT_LEVELS))}`);
    badge(id, 'badge-count', String(n), `${n}`);
  }
  return () => {
    for (const [id, marker] of added) canvas.removeMarker(id, marker);
    overlays.remove({ type: OVERLAY_TYPE });
  };
}
