// What a screen shows while it waits, when there is nothing, and when something failed: always in words.
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client.js';

export function Loading({ what }: { what: string }) {
  return <p class="state" role="status" aria-live="polite">Loading {what}…</p>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="state empty">{children}</p>;
}

export function ErrorMessage({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const problems = error instanceof ApiError ? error.details?.problems ?? [] : [];
  return (
    <div class="error" role="alert">
      <p>{error.message}</p>
      {problems.length > 0 && (
        <ul class="problems">
          {problems.map((p) => {
            const where = p.element_id ?? p.field ?? p.activity_id;
            return (
              <li key={`${p.process_instance_id ?? ''}${where ?? ''}${p.message}`}>
                {p.process_instance_id && <>instance <code>{p.process_instance_id}</code>: </>}
                {where && <code>{where}</code>} {p.message}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** A resource's loading, error or empty state, else its content. */
export function Guard<T>(props: { resource: { data: T | undefined; error: Error | undefined }; what: string; children: (data: T) => ComponentChildren }) {
  const { data, error } = props.resource;
  if (data === undefined) return error ? <ErrorMessage error={error} /> : <Loading what={props.what} />;
  return <>{error && <ErrorMessage error={error} />}{props.children(data)}</>;
}
