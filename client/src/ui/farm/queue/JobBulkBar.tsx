/** The floating toolbar for selected jobs: Cancel, Change priority, Reassign printer, Delete. */
import { useState, type FormEvent } from 'react';
import { ConfirmDialog, Dialog } from '../common/Dialog.js';
import { Toolbar } from '../common/Toolbar.js';
import { SelectField, TextField } from '../../form/fields.js';

export type BulkJobAction =
  | { action: 'cancel' }
  | { action: 'priority'; value: number }
  | { action: 'reassign'; value: string | null }
  | { action: 'delete' };

interface Props {
  count: number;
  busy: boolean;
  printers: readonly { id: string; name: string }[];
  onRun: (a: BulkJobAction) => void;
  onClear: () => void;
}

type Open = 'cancel' | 'priority' | 'reassign' | 'delete' | null;

export function JobBulkBar({ count, busy, printers, onRun, onClear }: Props) {
  const [open, setOpen] = useState<Open>(null);
  const [priority, setPriority] = useState('50');
  const [printerId, setPrinterId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const jobs = `${count} ${count === 1 ? 'job' : 'jobs'}`;
  const run = (a: BulkJobAction) => {
    setOpen(null);
    onRun(a);
  };
  const submitPriority = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(priority);
    if (priority.trim() === '' || !Number.isInteger(n) || n < 0 || n > 100) return setError('A whole number from 0 to 100');
    setError(undefined);
    run({ action: 'priority', value: n });
  };
  return (
    <>
      <div className="bulk-bar">
        <p className="bulk-count" aria-live="polite">
          {count} selected
        </p>
        <Toolbar label="Bulk actions" className="bulk-actions">
          <button type="button" onClick={() => setOpen('cancel')} disabled={busy}>
            Cancel jobs
          </button>
          <button type="button" onClick={() => setOpen('priority')} disabled={busy}>
            Change priority
          </button>
          <button type="button" onClick={() => setOpen('reassign')} disabled={busy}>
            Reassign printer
          </button>
          <button type="button" className="danger" onClick={() => setOpen('delete')} disabled={busy}>
            Delete
          </button>
          <button type="button" onClick={onClear}>
            Clear selection
          </button>
        </Toolbar>
      </div>
      {open === 'cancel' && (
        <ConfirmDialog
          title={`Cancel ${jobs}?`}
          description="Cancelled jobs stay in the list and can be queued again."
          confirmLabel="Cancel jobs"
          onConfirm={() => run({ action: 'cancel' })}
          onCancel={() => setOpen(null)}
        />
      )}
      {open === 'delete' && (
        <ConfirmDialog
          title={`Delete ${jobs}?`}
          description="Deleted jobs are removed for everyone. This cannot be undone."
          confirmLabel="Delete"
          danger
          onConfirm={() => run({ action: 'delete' })}
          onCancel={() => setOpen(null)}
        />
      )}
      {open === 'priority' && (
        <Dialog title={`Change the priority of ${jobs}`} onClose={() => setOpen(null)}>
          <form onSubmit={submitPriority} noValidate className="dialog-form">
            <TextField
              label="Priority"
              hint="0 (lowest) to 100 (highest)"
              type="number"
              inputMode="numeric"
              min={0}
              max={100}
              step={1}
              value={priority}
              onChange={setPriority}
              error={error}
              required
            />
            <div className="dialog-actions">
              <button type="button" onClick={() => setOpen(null)}>
                Cancel
              </button>
              <button type="submit" className="primary">
                Change priority
              </button>
            </div>
          </form>
        </Dialog>
      )}
      {open === 'reassign' && (
        <Dialog title={`Reassign ${jobs}`} onClose={() => setOpen(null)}>
          <form
            className="dialog-form"
            onSubmit={(e) => {
              e.preventDefault();
              run({ action: 'reassign', value: printerId || null });
            }}
          >
            <SelectField
              label="Printer"
              value={printerId}
              onChange={setPrinterId}
              options={[{ value: '', label: 'Any printer' }, ...printers.map((p) => ({ value: p.id, label: p.name }))]}
            />
            <div className="dialog-actions">
              <button type="button" onClick={() => setOpen(null)}>
                Cancel
              </button>
              <button type="submit" className="primary">
                Reassign
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </>
  );
}
