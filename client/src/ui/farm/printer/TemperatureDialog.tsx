/** Nozzle and bed targets (°C, 0 turns a heater off); at least one of the two. */
import { useState, type FormEvent } from 'react';
import { Dialog } from '../common/Dialog.js';
import { TextField } from '../../form/fields.js';

interface Props {
  printerName: string;
  onSet: (targets: { nozzle?: number; bed?: number }) => void;
  onClose: () => void;
}

function read(text: string, max: number): { value?: number; error?: string } {
  const t = text.trim();
  if (t === '') return {};
  const n = Number(t);
  if (!Number.isFinite(n)) return { error: 'Enter a number' };
  if (n < 0 || n > max) return { error: `Between 0 and ${max} °C` };
  return { value: n };
}

export function TemperatureDialog({ printerName, onSet, onClose }: Props) {
  const [nozzle, setNozzle] = useState('');
  const [bed, setBed] = useState('');
  const [errors, setErrors] = useState<{ nozzle?: string; bed?: string; form?: string }>({});
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = read(nozzle, 350);
    const b = read(bed, 150);
    if (n.error || b.error) return setErrors({ nozzle: n.error, bed: b.error });
    if (n.value === undefined && b.value === undefined) return setErrors({ form: 'Enter a nozzle or a bed temperature.' });
    onSet({ ...(n.value !== undefined ? { nozzle: n.value } : {}), ...(b.value !== undefined ? { bed: b.value } : {}) });
  };
  return (
    <Dialog
      title={`Set temperatures of ${printerName}`}
      onClose={onClose}
      description="Leave a field empty to keep that heater as it is. 0 turns it off."
    >
      <form onSubmit={submit} noValidate className="dialog-form">
        {errors.form && (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        )}
        <TextField
          label="Nozzle target (°C)"
          type="number"
          inputMode="numeric"
          min={0}
          max={350}
          value={nozzle}
          onChange={setNozzle}
          error={errors.nozzle}
        />
        <TextField
          label="Bed target (°C)"
          type="number"
          inputMode="numeric"
          min={0}
          max={150}
          value={bed}
          onChange={setBed}
          error={errors.bed}
        />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Set temperatures
          </button>
        </div>
      </form>
    </Dialog>
  );
}
