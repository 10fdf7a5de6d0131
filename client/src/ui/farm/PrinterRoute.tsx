/** `#/printers` is the printer list; `#/printers/<id>` is one printer's page. */
import { useSyncExternalStore } from 'react';
import { PrintersPage } from '../printers/PrintersPage.js';
import { PrinterPage } from './printer/PrinterPage.js';

function subscribe(onChange: () => void): () => void {
  globalThis.addEventListener('hashchange', onChange);
  return () => globalThis.removeEventListener('hashchange', onChange);
}

export function printerIdOf(hash: string): string | null {
  const [name, id] = hash.replace(/^#\/?/, '').split('/');
  return name === 'printers' && id ? decodeURIComponent(id) : null;
}

export function PrinterRoute() {
  const id = useSyncExternalStore(subscribe, () => printerIdOf(globalThis.location.hash));
  return id ? <PrinterPage key={id} printerId={id} /> : <PrintersPage />;
}
