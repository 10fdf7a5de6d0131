import { useMemo } from 'react';
import type { RxDocument } from 'rxdb';
import { FILAMENT_MATERIALS, type Job } from '@fleetsync/shared';
import { useCollection } from '../../hooks/useCollection.js';
import { optionsOf, SelectField, TextField } from '../form/fields.js';
import { FormPanel } from '../form/FormPanel.js';
import { useDocForm } from '../form/useDocForm.js';
import { JOB_DEFAULTS, jobChanges, jobValues, statusOptions } from './jobValues.js';

interface Props {
  doc: RxDocument<Job> | undefined;
  orgId: string;
  onDone: () => void;
}

const MATERIAL_OPTIONS = [{ value: '', label: 'Any material' }, ...optionsOf(FILAMENT_MATERIALS)];

export function JobForm({ doc, orgId, onDone }: Props) {
  const form = useDocForm({
    name: 'jobs',
    doc,
    orgId,
    initialValues: jobValues(doc?.toJSON() as Job | undefined),
    toChanges: jobChanges,
    defaults: JOB_DEFAULTS,
    onDone,
  });
  const printers = useCollection('printers', doc?.orgId ?? orgId);
  const printerOptions = useMemo(
    () => [
      { value: '', label: 'No printer' },
      ...printers.map((p) => ({ value: p.id, label: p.name })).sort((a, b) => a.label.localeCompare(b.label)),
    ],
    [printers],
  );
  const { values: v, setValue: set, errors: e } = form;
  return (
    <FormPanel title={doc ? `Edit job ${doc.name}` : 'New job'} form={form} onCancel={onDone}>
      <TextField label="Name" value={v.name ?? ''} onChange={(x) => set('name', x)} error={e.name} required />
      <TextField
        label="Priority"
        hint="0 (lowest) to 100 (highest)"
        type="number"
        inputMode="numeric"
        step={1}
        min={0}
        max={100}
        value={v.priority ?? ''}
        onChange={(x) => set('priority', x)}
        error={e.priority}
        required
      />
      <TextField
        label="Copies"
        type="number"
        inputMode="numeric"
        step={1}
        min={1}
        value={v.copies ?? ''}
        onChange={(x) => set('copies', x)}
        error={e.copies}
        required
      />
      <SelectField
        label="Material"
        value={v.material ?? ''}
        onChange={(x) => set('material', x)}
        error={e.material}
        options={MATERIAL_OPTIONS}
      />
      <SelectField
        label="Printer"
        value={v.printerId ?? ''}
        onChange={(x) => set('printerId', x)}
        error={e.printerId}
        options={printerOptions}
      />
      <SelectField
        label="Status"
        value={v.status ?? 'queued'}
        onChange={(x) => set('status', x)}
        error={e.status}
        options={statusOptions(doc?.status)}
        disabled={!doc}
        hint={doc ? 'Only the moves allowed from the current status are offered' : 'A new job starts queued'}
      />
    </FormPanel>
  );
}
