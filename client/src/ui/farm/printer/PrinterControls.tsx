/**
 * Pause, Resume, Stop (after a confirmation), Set temperatures and Mark bed cleared. Each
 * writes a command document; its progress shows in the command list below.
 */
import { useState } from 'react';
import { can, type Command, type Printer } from '@fleetsync/shared';
import { useReady } from '../../appContext.js';
import { ConfirmDialog } from '../common/Dialog.js';
import { usePrincipal } from '../common/usePrincipal.js';
import { ACTION_TEXT, issueCommand, type PrinterAction } from './issueCommand.js';
import { TemperatureDialog } from './TemperatureDialog.js';

type Open = 'stop' | 'temperature' | null;

export function PrinterControls({ printer }: { printer: Printer }) {
  const { workspace } = useReady();
  const principal = usePrincipal();
  const [open, setOpen] = useState<Open>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  if (!can(principal, 'commands.create', { orgId: printer.orgId })) {
    return <p className="muted">Your role can watch this printer but not control it.</p>;
  }

  const send = async (action: PrinterAction, params: Command['params'] = {}) => {
    setOpen(null);
    try {
      await issueCommand(workspace.store.db, principal, printer, action, params);
      setMessage({ text: `${ACTION_TEXT[action]} sent. Its progress is listed under Commands.`, error: false });
    } catch (err) {
      setMessage({
        text: `${ACTION_TEXT[action]} could not be sent: ${err instanceof Error ? err.message : String(err)}`,
        error: true,
      });
    }
  };

  const s = printer.status;
  const running = s === 'printing' || s === 'paused' || s === 'heating';
  return (
    <div className="printer-controls">
      <div className="control-buttons">
        <button type="button" onClick={() => void send('pause')} disabled={s !== 'printing' && s !== 'heating'}>
          Pause
        </button>
        <button type="button" onClick={() => void send('resume')} disabled={s !== 'paused'}>
          Resume
        </button>
        <button type="button" className="danger" onClick={() => setOpen('stop')} disabled={!running}>
          Stop
        </button>
        <button type="button" onClick={() => setOpen('temperature')} disabled={s === 'offline'}>
          Set temperatures
        </button>
        <button type="button" onClick={() => void send('mark_bed_cleared')} disabled={running || s === 'offline'}>
          Mark bed cleared
        </button>
      </div>
      {s === 'offline' && <p className="muted">The printer is offline; commands wait until it is back or they expire.</p>}
      <p className={message?.error ? 'field-error' : 'muted'} role="status">
        {message?.text}
      </p>
      {open === 'stop' && (
        <ConfirmDialog
          title={`Stop ${printer.name}?`}
          description="The current print is cancelled and cannot be resumed."
          confirmLabel="Stop print"
          danger
          onConfirm={() => void send('stop')}
          onCancel={() => setOpen(null)}
        />
      )}
      {open === 'temperature' && (
        <TemperatureDialog
          printerName={printer.name}
          onSet={(t) => void send('set_temperature', t)}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}
