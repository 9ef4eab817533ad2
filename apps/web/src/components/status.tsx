// An instance's or task's status as a labelled chip (colour is never the only cue: the word is there).
export function Status({ value }: { value: string }) {
  return <span class={`status status-${value}`}>{value.replace(/_/g, ' ')}</span>;
}
