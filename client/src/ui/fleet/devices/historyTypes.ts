/** The device history endpoint's answer (`GET /api/devices/:id/history`), read leniently. */
import { isObject, listOf, num, str, type Json } from '../../farm/api/parse.js';

export interface HistoryChange {
  path: string;
  text: string;
}
export interface HistoryEntry {
  id: number;
  at: string;
  changes: HistoryChange[];
}

const show = (v: unknown): string => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function changeOf(c: unknown): HistoryChange | null {
  if (!isObject(c)) return null;
  const path = str(c.path) ?? str(c.field) ?? 'inventory';
  const kind = str(c.kind) ?? str(c.op);
  const before = c.before ?? c.from ?? c.old;
  const after = c.after ?? c.to ?? c.new ?? c.value;
  let text: string;
  const pkgs = (v: unknown) =>
    Array.isArray(v) ? v.map((p) => (isObject(p) ? `${show(p.name)} ${show(p.version ?? p.to ?? '')}`.trim() : show(p))) : [];
  if (Array.isArray(c.added) || Array.isArray(c.removed) || Array.isArray(c.changed)) {
    const total = num(c.total);
    const parts = [
      total !== undefined ? `${total} packages reported` : '',
      pkgs(c.added).length ? `added ${pkgs(c.added).join(', ')}` : '',
      pkgs(c.removed).length ? `removed ${pkgs(c.removed).join(', ')}` : '',
      Array.isArray(c.changed)
        ? c.changed
            .filter(isObject)
            .map((x) => `${show(x.name)} ${show(x.from)} → ${show(x.to)}`)
            .join(', ')
        : '',
    ].filter(Boolean);
    text = parts.join('; ') || 'packages changed';
  } else if (kind === 'added' || kind === 'add') text = `added ${show(after)}`;
  else if (kind === 'removed' || kind === 'remove') text = `removed ${show(before)}`;
  else if (before !== undefined || after !== undefined) text = `${show(before)} → ${show(after)}`;
  else text = kind ?? 'changed';
  return { path, text };
}

function entryOf(v: Json): HistoryEntry | null {
  const id = num(v.id);
  const at = str(v.at);
  if (id === undefined || !at) return null;
  const changes = Array.isArray(v.changes) ? v.changes.map(changeOf).filter((c): c is HistoryChange => c !== null) : [];
  return { id, at, changes };
}

export const parseHistory = (body: unknown): HistoryEntry[] => listOf(body, entryOf, 'entries');
