import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyEdit, LOCAL, shiftPosition } from './textBinding.js';

describe('textarea <-> Y.Text binding', () => {
  it('turns a textarea change into one local edit', () => {
    const doc = new Y.Doc();
    const text = doc.getText('notes');
    text.insert(0, 'Bed levelled');
    const origins: unknown[] = [];
    text.observe((_e, tx) => origins.push(tx.origin));
    applyEdit(text, 'Bed levelled', 'Bed levelled today');
    expect(text.toString()).toBe('Bed levelled today');
    applyEdit(text, text.toString(), 'Bed re-levelled today');
    expect(text.toString()).toBe('Bed re-levelled today');
    expect(origins).toEqual([LOCAL, LOCAL]);
    applyEdit(text, text.toString(), 'Bed today');
    expect(text.toString()).toBe('Bed today');
  });

  it('keeps the caret in place across remote inserts and deletes', () => {
    expect(shiftPosition(5, [{ insert: 'abc' }])).toBe(8);
    expect(shiftPosition(5, [{ retain: 5 }, { insert: 'abc' }])).toBe(8);
    expect(shiftPosition(5, [{ retain: 6 }, { insert: 'abc' }])).toBe(5);
    expect(shiftPosition(5, [{ retain: 2 }, { delete: 2 }])).toBe(3);
    expect(shiftPosition(5, [{ retain: 3 }, { delete: 10 }])).toBe(3);
  });
});
