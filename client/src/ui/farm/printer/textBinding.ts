/** Binding a plain textarea to a Y.Text: local edits as one replace, caret kept across remote edits. */
import type * as Y from 'yjs';

/** The transaction origin of edits made in this textarea. */
export const LOCAL = Symbol('textarea');

export type Delta = { insert?: unknown; delete?: number; retain?: number }[];

/** Where a caret at `pos` ends up after a remote change. */
export function shiftPosition(pos: number, delta: Delta): number {
  let index = 0;
  let p = pos;
  for (const op of delta) {
    if (op.retain) index += op.retain;
    else if (typeof op.insert === 'string') {
      if (index <= p) p += op.insert.length;
      index += op.insert.length;
    } else if (op.delete) {
      if (index < p) p -= Math.min(op.delete, p - index);
    }
  }
  return p;
}

/** The one edit that turns `before` into `after` (common prefix and suffix kept). */
export function applyEdit(text: Y.Text, before: string, after: string) {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  )
    end++;
  text.doc?.transact(() => {
    if (before.length - start - end > 0) text.delete(start, before.length - start - end);
    const inserted = after.slice(start, after.length - end);
    if (inserted) text.insert(start, inserted);
  }, LOCAL);
}
