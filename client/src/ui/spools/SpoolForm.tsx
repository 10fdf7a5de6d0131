import type { RxDocument } from 'rxdb';
import { FILAMENT_MATERIALS, type Spool } from '@fleetsync/shared';
import { optionsOf, SelectField, TextField } from '../form/fields.js';
import { FormPanel } from '../form/FormPanel.js';
import { useDocForm } from '../form/useDocForm.js';
import { SPOOL_DEFAULTS, spoolChanges, spoolValues } from './spoolValues.js';

interface Props {
  doc: RxDocument<Spool> | undefined;
  orgId: string;
  onDone: () => void;
}

const MATERIAL_OPTIONS = optionsOf(FILAMENT_MATERIALS);

export function SpoolForm({ doc, orgId, onDone }: Props) {
  const form = useDocForm({
    name: 'spools',
    doc,
    orgId,
    initialValues: spoolValues(doc?.toJSON() as Spool | undefined),
    toChanges: spoolChanges,
    defaults: SPOOL_DEFAULTS,
    onDone,
  });
  const { values: v, setValue: set, errors: e } = form;
  const grams = (label: string, field: string) => (
    <TextField
      label={label}
      type="number"
      inputMode="decimal"
      step="any"
      min={0}
      value={v[field] ?? ''}
      onChange={(x) => set(field, x)}
      error={e[field]}
      required
    />
  );
  return (
    <FormPanel title={doc ? `Edit spool ${doc.colour} ${doc.material}` : 'New spool'} form={form} onCancel={onDone}>
      <SelectField
        label="Material"
        value={v.material ?? ''}
        onChange={(x) => set('material', x)}
        error={e.material}
        options={MATERIAL_OPTIONS}
      />
      <TextField label="Colour" value={v.colour ?? ''} onChange={(x) => set('colour', x)} error={e.colour} required />
      <TextField label="Brand" value={v.brand ?? ''} onChange={(x) => set('brand', x)} error={e.brand} />
      {grams('Total grams', 'totalGrams')}
      {grams('Remaining grams', 'remainingGrams')}
      <TextField
        label="Cost per kg"
        type="number"
        inputMode="decimal"
        step="any"
        min={0}
        value={v.costPerKg ?? ''}
        onChange={(x) => set('costPerKg', x)}
        error={e.costPerKg}
        required
      />
    </FormPanel>
  );
}
