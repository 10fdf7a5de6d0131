/**
 * State and submit logic shared by the printer, job and spool forms: text values per
 * field, validation with the shared schema and rule, then insert (new) or a modify that
 * touches only the form's fields (edit), so concurrent edits of other fields survive.
 */
import { useState, type FormEvent } from 'react';
import type { RxDocument } from 'rxdb';
import { newId } from '@fleetsync/shared';
import { collectionOf, type DocOf } from '../../db/types.js';
import { principalFromMe } from '../../session/principal.js';
import { useReady } from '../appContext.js';
import { applyChanges, withoutLocalKeys, type Changes } from './docData.js';
import type { FieldErrors } from './fieldErrors.js';
import { validateDoc } from './validateDoc.js';

export type FormCollection = 'printers' | 'jobs' | 'spools';
export type FormValues = Record<string, string>;

export interface DocFormOptions<N extends FormCollection> {
  name: N;
  /** The document being edited, or undefined to create one. */
  doc: RxDocument<DocOf<N>> | undefined;
  orgId: string;
  initialValues: FormValues;
  toChanges: (values: FormValues) => Changes;
  /** Required fields a new document starts with (besides id, orgId, clock). */
  defaults: Changes;
  onDone: () => void;
}

export interface DocForm {
  values: FormValues;
  setValue: (field: string, value: string) => void;
  errors: FieldErrors;
  formError: string | null;
  saving: boolean;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
}

export function useDocForm<N extends FormCollection>(opts: DocFormOptions<N>): DocForm {
  const ready = useReady();
  const [values, setValues] = useState<FormValues>(opts.initialValues);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const setValue = (field: string, value: string) => setValues((v) => ({ ...v, [field]: value }));

  const save = async (form: HTMLFormElement) => {
    const { doc, name } = opts;
    const changes = opts.toChanges(values);
    const previous = doc ? withoutLocalKeys(doc.toMutableJSON()) : undefined;
    const base = previous ?? { id: newId(), orgId: opts.orgId, clock: {}, ...opts.defaults };
    const candidate = applyChanges(base, changes);
    const principal = principalFromMe(ready.session.userId, ready.me);
    const check = validateDoc(name, candidate, previous, principal);
    if (!check.ok) {
      setErrors(check.fields);
      setFormError(check.form);
      requestAnimationFrame(() =>
        (
          form.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.querySelector<HTMLElement>('[data-form-error]')
        )?.focus(),
      );
      return;
    }
    setSaving(true);
    try {
      if (doc) await doc.incrementalModify((current) => applyChanges(current as Record<string, unknown>, changes) as never);
      else await collectionOf(ready.workspace.store.db, name).insert(candidate as never);
      opts.onDone();
    } catch (err) {
      setFormError(`Could not save: ${err instanceof Error ? err.message : String(err)}`);
      setSaving(false);
    }
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setErrors({});
    setFormError(null);
    void save(e.currentTarget);
  };

  return { values, setValue, errors, formError, saving, onSubmit };
}
