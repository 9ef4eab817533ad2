// A list the API answers in pages, as a table: loading, error and empty states, then the rows and a pager.
import type { ComponentChildren } from 'preact';
import type { Page } from '../api/types.js';
import type { Resource } from '../use-resource.js';
import { Pager } from './pager.js';
import { Guard } from './states.js';
import { Table } from './table.js';

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
      {(page) => (
        <>
          <Table items={page.data} headers={props.headers} row={props.row} empty={props.empty} />
          <Pager total={page.total} limit={props.pageSize} offset={props.offset} onOffset={props.onOffset} />
        </>
      )}
    </Guard>
  );
}
