/**
 * Shared notes of a printer: a plain textarea bound to a Y.Text. Local edits become Yjs
 * inserts/deletes; remote edits update the text and keep the caret where it belongs.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type ChangeEvent } from 'react';
import type * as Y from 'yjs';
import { applyEdit, LOCAL, shiftPosition, type Delta } from './textBinding.js';
import { useYNotes, type NotesConnection } from './useYNotes.js';

const CONNECTION_TEXT: Record<NotesConnection, string> = {
  connecting: 'Connecting to the notes server…',
  connected: 'Live: changes are shared as you type.',
  disconnected: 'Offline: notes are saved on this device and shared when the connection returns.',
  refused: 'The server refused to share these notes; they are kept on this device only.',
};

export function NotesEditor({ room, userId, assumeReadOnly }: { room: string; userId: string; assumeReadOnly: boolean }) {
  const notes = useYNotes(room, userId, assumeReadOnly);
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [value, setValue] = useState('');
  const caret = useRef<[number, number] | null>(null);
  const { text } = notes;

  useEffect(() => {
    if (!text) return;
    setValue(text.toString());
    const onChange = (event: Y.YTextEvent, tx: Y.Transaction) => {
      if (tx.origin === LOCAL) return;
      const el = ref.current;
      if (el && document.activeElement === el) {
        const delta = event.delta as Delta;
        caret.current = [shiftPosition(el.selectionStart, delta), shiftPosition(el.selectionEnd, delta)];
      }
      setValue(text.toString());
    };
    text.observe(onChange);
    return () => text.unobserve(onChange);
  }, [text]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && caret.current) el.setSelectionRange(...caret.current);
    caret.current = null;
  }, [value]);

  const onChange = (e: ChangeEvent<HTMLTextAreaElement>) => {
    if (!text || notes.readOnly) return;
    applyEdit(text, text.toString(), e.target.value);
    setValue(e.target.value);
  };

  return (
    <div className="notes">
      <label htmlFor={id} className="visually-hidden">
        Notes
      </label>
      {notes.readOnly && (
        <p id={`${id}-ro`} className="notes-readonly">
          Notes are read-only for you.
        </p>
      )}
      <textarea
        id={id}
        ref={ref}
        rows={6}
        value={value}
        onChange={onChange}
        readOnly={notes.readOnly || !text}
        aria-describedby={`${notes.readOnly ? `${id}-ro ` : ''}${id}-status`}
        data-testid="printer-notes"
      />
      <p id={`${id}-status`} className="muted" role="status">
        {notes.loaded ? CONNECTION_TEXT[notes.connection] : 'Opening notes…'}
      </p>
    </div>
  );
}
