// Previous / next through a list the API answers in pages.
export function Pager({ total, limit, offset, onOffset }: { total: number; limit: number; offset: number; onOffset: (offset: number) => void }) {
  if (total <= limit) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" class="secondary" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>Previous</button>
      <span>{offset + 1}–{Math.min(total, offset + limit)} of {total}</span>
      <button type="button" class="secondary" disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)}>Next</button>
    </nav>
  );
}
