/**
 * A modal confirmation: focus moves into it and stays there (Tab and Shift+Tab cycle), Escape
 * or Cancel closes it, and focus returns to the control that opened it — or, after a confirmed
 * action that removed that control (e.g. its row), to `focusAfterConfirm`.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { errorText } from '../../api/apiError.js';

interface Props {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Runs the action; a rejection is shown in the dialog, which stays open. */
  onConfirm: () => Promise<void>;
  /** Called once the dialog should go away (confirmed, cancelled or Escape). */
  onClose: (confirmed: boolean) => void;
  focusAfterConfirm?: RefObject<HTMLElement | null>;
}

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose, focusAfterConfirm }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const confirmed = useRef(false);
  const afterConfirm = useRef(focusAfterConfirm);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      const target = confirmed.current ? (afterConfirm.current?.current ?? opener) : opener;
      requestAnimationFrame(() => target?.focus());
    };
  }, []);

  const cancel = () => {
    if (!busy) onClose(false);
  };

  const confirm = () => {
    setBusy(true);
    setError(null);
    onConfirm().then(
      () => {
        confirmed.current = true;
        onClose(true);
      },
      (err: unknown) => {
        setError(errorText(err));
        setBusy(false);
      },
    );
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      cancel();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = Array.from(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []);
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (e.shiftKey && (document.activeElement === first || !ref.current?.contains(document.activeElement))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (document.activeElement === last || !ref.current?.contains(document.activeElement))) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        e.preventDefault();
        cancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId}>{children}</div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="danger" onClick={confirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button type="button" onClick={cancel} data-autofocus>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
