/** The floating toolbar of the fleet grid: add a tag to the selected printers. */
import { useState, type FormEvent } from 'react';
import { Dialog } from '../common/Dialog.js';
import { Toolbar } from '../common/Toolbar.js';
import { TextField } from '../../form/fields.js';

interface Props {
  count: number;
  busy: boolean;
  onAddTag: (tag: string) => void;
  onClear: () => void;
}

export function AddTagBar({ count, busy, onAddTag, onClear }: Props) {
  const [open, setOpen] = useState(false);
  const [tag, setTag] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = tag.trim();
    if (!t || t.length > 40) {
      setError(t ? 'At most 40 characters' : 'Enter a tag');
      return;
    }
    setOpen(false);
    setTag('');
    setError(undefined);
    onAddTag(t);
  };
  return (
    <>
      <div className="bulk-bar">
        <p className="bulk-count" aria-live="polite">
          {count} selected
        </p>
        <Toolbar label="Bulk actions" className="bulk-actions">
          <button type="button" className="primary" onClick={() => setOpen(true)} disabled={busy}>
            Add tag
          </button>
          <button type="button" onClick={onClear}>
            Clear selection
          </button>
        </Toolbar>
      </div>
      {open && (
        <Dialog title={`Add a tag to ${count} ${count === 1 ? 'printer' : 'printers'}`} onClose={() => setOpen(false)}>
          <form onSubmit={submit} noValidate>
            <TextField
              label="Tag"
              value={tag}
              onChange={setTag}
              error={error}
              hint="For example a room, a material or a group"
              required
            />
            <div className="dialog-actions">
              <button type="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit" className="primary">
                Add tag
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </>
  );
}
