import type { RxDocument } from 'rxdb';
import { PRINTER_PROTOCOLS, type Printer } from '@fleetsync/shared';
import { SelectField, TextField } from '../form/fields.js';
import { FormPanel } from '../form/FormPanel.js';
import { useDocForm } from '../form/useDocForm.js';
import { PRINTER_DEFAULTS, printerChanges, printerValues, PROTOCOL_LABELS } from './printerValues.js';

interface Props {
  doc: RxDocument<Printer> | undefined;
  orgId: string;
  onDone: () => void;
}

const PROTOCOL_OPTIONS = PRINTER_PROTOCOLS.map((p) => ({ value: p, label: PROTOCOL_LABELS[p] }));

export function PrinterForm({ doc, orgId, onDone }: Props) {
  const form = useDocForm({
    name: 'printers',
    doc,
    orgId,
    initialValues: printerValues(doc?.toJSON() as Printer | undefined),
    toChanges: printerChanges,
    defaults: PRINTER_DEFAULTS,
    onDone,
  });
  const { values: v, setValue: set, errors: e } = form;
  return (
    <FormPanel title={doc ? `Edit printer ${doc.name}` : 'New printer'} form={form} onCancel={onDone}>
      <TextField label="Name" value={v.name ?? ''} onChange={(x) => set('name', x)} error={e.name} required />
      <TextField label="Model" value={v.model ?? ''} onChange={(x) => set('model', x)} error={e.model} />
      <SelectField
        label="Protocol"
        value={v.protocol ?? ''}
        onChange={(x) => set('protocol', x)}
        error={e.protocol}
        options={PROTOCOL_OPTIONS}
      />
      <TextField
        label="Nozzle diameter (mm)"
        type="number"
        inputMode="decimal"
        step="any"
        value={v.nozzleDiameter ?? ''}
        onChange={(x) => set('nozzleDiameter', x)}
        error={e.nozzleDiameter}
        required
      />
      <TextField
        label="Bed width (mm)"
        type="number"
        inputMode="decimal"
        step="any"
        value={v.bedWidthMm ?? ''}
        onChange={(x) => set('bedWidthMm', x)}
        error={e.bedWidthMm}
        required
      />
      <TextField
        label="Bed depth (mm)"
        type="number"
        inputMode="decimal"
        step="any"
        value={v.bedDepthMm ?? ''}
        onChange={(x) => set('bedDepthMm', x)}
        error={e.bedDepthMm}
        required
      />
      <TextField
        label="Tags"
        hint="Separate tags with commas"
        value={v.tags ?? ''}
        onChange={(x) => set('tags', x)}
        error={e.tags}
      />
      <TextField label="Location" value={v.location ?? ''} onChange={(x) => set('location', x)} error={e.location} />
    </FormPanel>
  );
}
