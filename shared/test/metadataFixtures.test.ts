/**
 * The project's copies of real PrusaSlicer output (shared/test/fixtures/gcode) are the files the
 * metadata tests read. When the originals are beside the repository they must be byte-identical;
 * on a fresh clone without them, the copies must still match the recorded SHA-256 sums.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const COPIES = new URL('./fixtures/gcode/', import.meta.url);
const ORIGINALS = new URL('../../../shared/fixtures/gcode/', import.meta.url);
const RECORDED_SHA256: Record<string, string> = {
  'cube20.gcode': '0a40129fdda58360ffc0ba2e0baa454aabe95aa7f464cd7bf70d9a9265f2740f',
  'cyl15_mk3s_pla.gcode': '9a8b3c8966838ed72d378cfe473e5460c9e104cc3d74e7941b101a55fee2985d',
};

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe.each(Object.keys(RECORDED_SHA256))('fixture copy %s', (name) => {
  it(existsSync(ORIGINALS) ? 'is byte-identical to the original in shared/fixtures' : 'matches its recorded SHA-256', () => {
    const copy = readFileSync(new URL(name, COPIES));
    if (existsSync(ORIGINALS)) expect(sha256(copy)).toBe(sha256(readFileSync(new URL(name, ORIGINALS))));
    expect(sha256(copy)).toBe(RECORDED_SHA256[name]);
  });
});
