/** The frame around a document form: heading, form-level error, Save and Cancel. */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { DocForm } from './useDocForm.js';

interface Props {
  title: string;
  form: DocForm;
  onCancel: () => void;
  children: ReactNode;
}

export function FormPanel({ title, form, onCancel, children }: Props) {
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, []);
  return (
    <section ref={ref} className="form-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <form onSubmit={form.onSubmit} noValidate aria-labelledby={headingId}>
        {form.formError && (
          <p className="form-error" role="alert" tabIndex={-1} data-form-error>
            {form.formError}
          </p>
        )}
        <div className="form-grid">{children}</div>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={form.saving}>
            Save
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
