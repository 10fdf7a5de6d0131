/**
 * A short message when printers change state ("Bench MK4 is now Paused"), for an
 * aria-live="polite" region. The first list seen is the baseline and is not announced.
 */
import { useEffect, useRef, useState } from 'react';
import type { Printer } from '@fleetsync/shared';
import { STATUS_SHORT } from './printerStatus.js';

const CLEAR_AFTER_MS = 8000;

export function useStatusAnnouncer(printers: readonly Pick<Printer, 'id' | 'name' | 'status'>[]): string {
  const seen = useRef<Map<string, string> | null>(null);
  const [message, setMessage] = useState('');

  useEffect(() => {
    const previous = seen.current;
    seen.current = new Map(printers.map((p) => [p.id, p.status]));
    if (!previous) return;
    const changed = printers.filter((p) => previous.has(p.id) && previous.get(p.id) !== p.status);
    if (changed.length === 0) return;
    const text =
      changed.length > 3
        ? `${changed.length} printers changed status.`
        : changed.map((p) => `${p.name} is now ${STATUS_SHORT[p.status]}.`).join(' ');
    setMessage(text);
  }, [printers]);

  useEffect(() => {
    if (!message) return;
    const t = setTimeout(() => setMessage(''), CLEAR_AFTER_MS);
    return () => clearTimeout(t);
  }, [message]);

  return message;
}
