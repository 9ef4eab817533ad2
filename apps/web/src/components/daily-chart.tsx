// Instances started and ended per day as paired bars, with the same figures in a table for screen readers.
import type { DailyStats } from '../api/types.js';

const HEIGHT = 120;
const BAR = 6;
const GAP = 4;

export function DailyChart({ days }: { days: readonly DailyStats[] }) {
  const largest = Math.max(1, ...days.flatMap((d) => [d.instances, d.completed_instances]));
  const scale = (n: number) => (n / largest) * (HEIGHT - 16);
  const width = days.length * (2 * BAR + GAP);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" aria-hidden="true">
        {days.map((d, n) => {
          const x = n * (2 * BAR + GAP);
          return (
            <g key={d.date}>
              <rect class="bar-started" x={x} y={HEIGHT - scale(d.instances)} width={BAR} height={scale(d.instances)}><title>{`${d.date}: ${d.instances} started`}</title></rect>
              <rect class="bar-ended" x={x + BAR} y={HEIGHT - scale(d.completed_instances)} width={BAR} height={scale(d.completed_instances)}><title>{`${d.date}: ${d.completed_instances} completed`}</title></rect>
            </g>
          );
        })}
      </svg>
      <figcaption><span class="key key-started" /> started <span class="key key-ended" /> completed, per day ({days[0]?.date} to {days.at(-1)?.date})</figcaption>
      {/* a table keeps the height of its rows whatever its own height says: the hiding box goes around it */}
      <div class="visually-hidden">
        <table>
          <thead><tr><th>Day</th><th>Started</th><th>Completed</th></tr></thead>
          <tbody>{days.map((d) => <tr key={d.date}><td>{d.date}</td><td>{d.instances}</td><td>{d.completed_instances}</td></tr>)}</tbody>
        </table>
      </div>
    </figure>
  );
}
