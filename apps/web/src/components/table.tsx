// A table of items that scrolls inside its own frame on a narrow screen, or words when there is none.
import type { ComponentChildren } from 'preact';
import { Empty } from './states.js';

export function Table<T>(props: {
  items: readonly T[];
  headers: readonly string[];
  row: (item: T, index: number) => ComponentChildren;
  empty: ComponentChildren;
}) {
  if (props.items.length === 0) return <Empty>{props.empty}</Empty>;
  return (
    <div class="table-wrap">
      <table>
        <thead><tr>{props.headers.map((h) => <th key={h}>{h}</th>)}</tr></thead>
        <tbody>{props.items.map(props.row)}</tbody>
      </table>
    </div>
  );
}
