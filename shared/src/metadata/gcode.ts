/**
 * Metadata from sliced G-code, read in chunks: slicers put half of it in a header and half in
 * a footer (PrusaSlicer's config block sits at the very end), so the whole file is read, but
 * only comment lines with known keys are kept: memory stays bounded for any file size.
 */
import { matchGcodeLine, type GcodeKey } from './gcodeKeys.js';
import type { PrintFileMetadata } from './types.js';
import { parseBedShape, parseDuration, parseNumber, parseNumberList, parseTextList, sum } from './values.js';

export interface GcodeMetadataParser {
  /** Feed the next piece of the file; pieces may split lines anywhere. */
  push(chunk: string): void;
  /** End of input: the metadata found. The parser can not be used after this. */
  finish(): PrintFileMetadata;
}

/** A line longer than this is not a slicer comment; it is skipped without being buffered. */
const MAX_LINE_LENGTH = 64 * 1024;

export function createGcodeMetadataParser(): GcodeMetadataParser {
  const found = new Map<GcodeKey, string>();
  let carry = '';
  let skippingLongLine = false;
  let finished = false;

  const takeLine = (line: string): void => {
    const keyed = matchGcodeLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (keyed && !found.has(keyed.key)) found.set(keyed.key, keyed.value);
  };

  return {
    push(chunk) {
      if (finished) throw new Error('parser already finished');
      let start = 0;
      for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
        if (skippingLongLine) skippingLongLine = false;
        else takeLine(carry + chunk.slice(start, newline));
        carry = '';
        start = newline + 1;
      }
      if (skippingLongLine) return;
      carry += chunk.slice(start);
      if (carry.length > MAX_LINE_LENGTH) {
        carry = '';
        skippingLongLine = true;
      }
    },
    finish() {
      if (!finished && !skippingLongLine && carry !== '') takeLine(carry);
      finished = true;
      carry = '';
      return normalise(found);
    },
  };
}

/** Metadata of a whole G-code text already in memory. */
export function extractGcodeMetadata(text: string): PrintFileMetadata {
  const parser = createGcodeMetadataParser();
  parser.push(text);
  return parser.finish();
}

function normalise(found: Map<GcodeKey, string>): PrintFileMetadata {
  const get = (key: GcodeKey): string | undefined => {
    const value = found.get(key)?.trim();
    return value === undefined || value === '' || value === '""' ? undefined : value;
  };
  const out: PrintFileMetadata = {};
  const slicer = get('slicer');
  if (slicer) [out.slicer, out.slicerVersion] = slicer.split(' ') as [string, string];

  const bambuTime = get('bambuTime')?.match(/total estimated time:\s*(.+)$/)?.[1];
  const timeText = get('time') ?? bambuTime ?? get('curaSeconds');
  if (timeText) out.estimatedSeconds = parseDuration(timeText);

  out.printerModel = get('printerModel') ?? get('curaMachine');
  out.printerSettingsId = get('printerSettingsId');
  const nozzle = get('nozzle') ?? get('curaNozzle');
  if (nozzle) out.nozzleDiameterMm = parseNumberList(nozzle);
  const bed = get('bedShape');
  if (bed) out.printableArea = parseBedShape(bed);
  out.maxHeightMm = parseNumber(get('maxHeight'));
  out.layerHeightMm = parseNumber(get('layerHeight'));
  out.firstLayerHeightMm = parseNumber(get('firstLayerHeight'));
  const layers = parseNumber(get('totalLayers'));
  if (layers !== undefined) out.totalLayers = Math.round(layers);
  const types = get('filamentType');
  if (types) out.filamentTypes = parseTextList(types);
  out.bedType = get('bedType');

  const usedMm = get('usedMm');
  const curaMeters = get('curaMeters');
  if (usedMm) out.filamentUsedMm = parseNumberList(usedMm);
  else if (curaMeters)
    out.filamentUsedMm = parseNumberList(curaMeters.replace(/m/g, ''))?.map((m) => Math.round(m * 100_000) / 100);
  const usedCm3 = get('usedCm3');
  if (usedCm3) out.filamentUsedCm3 = parseNumberList(usedCm3);
  const grams = get('usedGrams');
  if (grams) out.filamentUsedGrams = parseNumberList(grams);
  out.totalFilamentGrams = parseNumber(get('totalGrams')) ?? (out.filamentUsedGrams ? sum(out.filamentUsedGrams) : undefined);
  out.filamentCost = parseNumber(get('cost'));
  // A slicer without a filament density writes 0 g (and so a cost of 0) for real filament:
  // that is "unknown", not "free".
  const usedSomething = (out.filamentUsedMm ?? []).some((mm) => mm > 0);
  if (usedSomething && out.totalFilamentGrams === 0) {
    delete out.totalFilamentGrams;
    delete out.filamentCost;
    if (out.filamentUsedGrams?.every((g) => g === 0)) delete out.filamentUsedGrams;
  }
  return withoutUndefined(out);
}

function withoutUndefined(record: PrintFileMetadata): PrintFileMetadata {
  for (const key of Object.keys(record) as (keyof PrintFileMetadata)[]) {
    if (record[key] === undefined) delete record[key];
  }
  return record;
}
