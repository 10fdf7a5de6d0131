/**
 * Submit a job: model and revision from the library (when the server has one), a name,
 * a printer or "any printer", priority, copies and material. Written locally first.
 */
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { can, FILAMENT_MATERIALS, type Printer } from '@fleetsync/shared';
import { useCollection } from '../../../hooks/useCollection.js';
import { useReady } from '../../appContext.js';
import { SelectField, TextField } from '../../form/fields.js';
import type { FieldErrors } from '../../form/fieldErrors.js';
import { usePrincipal } from '../common/usePrincipal.js';
import { STATUS_SHORT } from '../fleet/printerStatus.js';
import { ModelPicker, NOTHING_PICKED, useModelChoice, type Picked } from './ModelPicker.js';
import { materialOf, PRIORITY_CHOICES, submitJob, type SubmitValues } from './submitJob.js';

const EMPTY: SubmitValues = { name: '', printerId: '', priority: '50', copies: '1', material: '' };

export function SubmitJobForm() {
  const { workspace, orgId } = useReady();
  const principal = usePrincipal();
  const headingId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<SubmitValues>(EMPTY);
  const [picked, setPicked] = useState<Picked>(NOTHING_PICKED);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const choice = useModelChoice(picked);
  const printerDocs = useCollection('printers', orgId);
  const printers = useMemo(
    () => printerDocs.map((d) => d.toJSON() as Printer).sort((a, b) => a.name.localeCompare(b.name)),
    [printerDocs],
  );

  if (orgId === null || !can(principal, 'jobs.create', { orgId, createdBy: null })) return null;
  const set = (field: keyof SubmitValues) => (v: string) => setValues((s) => ({ ...s, [field]: v }));
  const profileMaterial = choice.profile?.material && materialOf({ metadata: { filamentTypes: [choice.profile.material] } });
  const fileMaterial = profileMaterial || materialOf(choice.revision);

  const onPick = (next: Picked) => {
    const model = choice.modelList.find((m) => m.id === next.modelId);
    if (model && (values.name === '' || values.name === choice.model?.name)) setValues((s) => ({ ...s, name: model.name }));
    setPicked(next);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    const v = { ...values, material: values.material || fileMaterial };
    const pinned = { model: choice.model, revision: choice.revision, profile: choice.profile };
    const result = await submitJob(workspace.store.db, principal, orgId, v, pinned).catch((err: unknown) => ({
      ok: false as const,
      fields: {},
      form: `Could not save: ${err instanceof Error ? err.message : String(err)}`,
    }));
    if (!result.ok) {
      setErrors(result.fields);
      setMessage({ text: result.form ?? 'Some fields need attention.', error: true });
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setMessage({ text: `Job “${result.name}” queued.`, error: false });
    setValues((s) => ({ ...EMPTY, printerId: s.printerId, priority: s.priority }));
    setPicked(NOTHING_PICKED);
  };

  return (
    <section className="panel submit-job" aria-labelledby={headingId}>
      <h2 id={headingId}>Submit a job</h2>
      <form ref={formRef} onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby={headingId}>
        <div className="form-grid form-grid-3">
          <ModelPicker value={picked} choice={choice} onChange={onPick} />
          <TextField label="Job name" value={values.name} onChange={set('name')} error={errors.name} required />
          <SelectField
            label="Printer"
            value={values.printerId}
            onChange={set('printerId')}
            error={errors.printerId}
            options={[
              { value: '', label: 'Any printer' },
              ...printers.map((p) => ({ value: p.id, label: `${p.name} (${STATUS_SHORT[p.status].toLowerCase()})` })),
            ]}
          />
          <SelectField
            label="Priority"
            value={values.priority}
            onChange={set('priority')}
            error={errors.priority}
            options={PRIORITY_CHOICES}
          />
          <TextField
            label="Copies"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={values.copies}
            onChange={set('copies')}
            error={errors.copies}
            required
          />
          <SelectField
            label="Material"
            value={values.material}
            onChange={set('material')}
            error={errors.material}
            options={[
              {
                value: '',
                label: fileMaterial ? `From the ${profileMaterial ? 'profile' : 'file'} (${fileMaterial})` : 'Any material',
              },
              ...FILAMENT_MATERIALS.map((m) => ({ value: m, label: m })),
            ]}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="primary">
            Submit job
          </button>
          <p className={message?.error ? 'field-error' : 'form-ok'} role="status" data-testid="submit-status">
            {message?.text}
          </p>
        </div>
      </form>
    </section>
  );
}
