// A Camunda 8 form (form-js JSON) rendered by form-js itself, which checks what it can in the browser; the
// engine checks again on completion and what it refuses is listed above the form.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SubmittedVariables } from './generated-form.js';

interface FormViewer {
  importSchema(schema: unknown, data?: Record<string, unknown>): Promise<unknown>;
  submit(): { data: Record<string, unknown>; errors: Record<string, unknown> };
  destroy(): void;
}

export function FormJsForm(props: {
  schema: Record<string, unknown>;
  data: Record<string, unknown>;
  submitLabel: string;
  busy: boolean;
  onSubmit: (variables: SubmittedVariables) => void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [form, setForm] = useState<FormViewer>();
  const [error, setError] = useState<string>();
  // the task is fetched again now and then: the same form must not be built anew and lose what was typed
  const schemaText = JSON.stringify(props.schema);

  useEffect(() => {
    let created: FormViewer | undefined;
    let cancelled = false;
    // form-js and its stylesheet load with the first form shown
    Promise.all([import('@bpmn-io/form-js-viewer'), import('@bpmn-io/form-js-viewer/dist/assets/form-js.css')])
      .then(async ([{ Form }]) => {
        if (cancelled || !container.current) return;
        created = new Form({ container: container.current }) as unknown as FormViewer;
        await created.importSchema(JSON.parse(schemaText), props.data);
        if (!cancelled) setForm(created);
      })
      .catch((e: Error) => { if (!cancelled) setError(`The form cannot be shown: ${e.message}`); });
    return () => {
      cancelled = true;
      created?.destroy();
    };
  }, [schemaText]);

  const submit = () => {
    if (!form) return;
    const { data, errors } = form.submit();
    if (Object.keys(errors).length > 0) return;
    props.onSubmit(Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, { value: v }])));
  };

  return (
    <div class="form-js">
      {error && <p class="error" role="alert">{error}</p>}
      <div ref={container} data-rendered={form ? 'true' : undefined} />
      <div class="actions"><button type="button" onClick={submit} disabled={!form || props.busy}>{props.submitLabel}</button></div>
    </div>
  );
}
