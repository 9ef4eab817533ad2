// A list the API answers in pages, as a table: loading, error and empty states, then the rows and a pager.
import type { ComponentChildren } from 'preact';
import type { Page } from '../api/types.js';
import type { Resource } from '../use-resource.js';
import { Pager } from './pager.js';
import { Empty, Guard } from './states.js';

export function PagedTable<T>(props: {
  resource: Resource<Page<T>>;
  what: string;
  empty: ComponentChildren;
  headers: readonly string[];
  row: (item: T) => ComponentChildren;
  pageSize: number;
  offset: number;
  onOffset: (offset: number) => void;
}) {
  return (
    <Guard resource={props.resource} what={props.what}>
      {(page) => page.data.length === 0 ? <Empty>{props.empty}</Empty> : (
        <>
          <div class="table-wrap">
            <table>
              <thead><tr>{props.headers.map((h) => <th key={h}>{h}</th>)}</tr></thead>
              <tbody>{page.data.map(props.row)}</tbody>
            </table>
          </div>
          <Pager total={page.total} limit={props.pageSize} offset={props.offset} onOffset={props.onOffset} />
        </>
      )}
    </Guard>
  );
}
