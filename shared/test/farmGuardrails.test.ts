/** The compatibility guardrail as a table: printer x file metadata x loaded filament -> ok or reasons. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCompatibility, materialFamily, printerModelKey, type PrinterForCompatibility } from '../src/farm/guardrails.js';
import { extractGcodeMetadata } from '../src/metadata/gcode.js';
import type { PrintFileMetadata } from '../src/metadata/types.js';

/** Real PrusaSlicer output: MK3S, bed 250 x 210, 0.4 mm nozzle, PLA. */
const cyl15 = extractGcodeMetadata(readFileSync(new URL('./fixtures/gcode/cyl15_mk3s_pla.gcode', import.meta.url), 'utf8'));
/** What a Bambu A1 3MF says (slice_info: printer_model_id N2S, nozzle 0.4, PETG). */
const bambuA1: PrintFileMetadata = {
  printerModelId: 'N2S',
  nozzleDiameterMm: [0.4],
  printableArea: { widthMm: 256, depthMm: 256, polygon: [] },
  filamentTypes: ['PETG'],
};
const bambuX1: PrintFileMetadata = {
  printerModel: 'Bambu Lab X1 Carbon',
  nozzleDiameterMm: [0.4],
  filamentTypes: ['PLA', 'PLA'],
};

const mk3s: PrinterForCompatibility = { model: 'Original Prusa MK3S+', nozzleDiameter: 0.4, bedWidthMm: 250, bedDepthMm: 210 };
const a1: PrinterForCompatibility = { model: 'A1', nozzleDiameter: 0.4, bedWidthMm: 256, bedDepthMm: 256 };

type Row = [
  string,
  PrinterForCompatibility,
  PrintFileMetadata,
  { material: string } | { material: string }[] | undefined,
  string[],
];
const TABLE: Row[] = [
  ['same model, bed, nozzle and PLA loaded', mk3s, cyl15, { material: 'PLA' }, []],
  ['nothing known about what is loaded is no reason', mk3s, cyl15, undefined, []],
  [
    "the printer's own loadedMaterial counts when no spool is known",
    { ...mk3s, loadedMaterial: 'PETG' },
    cyl15,
    undefined,
    ['FILAMENT_MISMATCH'],
  ],
  ['wrong filament on the spool', mk3s, cyl15, { material: 'PETG' }, ['FILAMENT_MISMATCH']],
  ['one of several AMS spools matches', mk3s, cyl15, [{ material: 'PETG' }, { material: 'PLA' }], []],
  ['another printer model', { ...mk3s, model: 'Original Prusa MK4' }, cyl15, { material: 'PLA' }, ['PRINTER_MODEL_MISMATCH']],
  ['a 0.6 mm nozzle', { ...mk3s, nozzleDiameter: 0.6 }, cyl15, { material: 'PLA' }, ['NOZZLE_MISMATCH']],
  [
    'a MINI: other model and a bed too small',
    { model: 'Original Prusa MINI+', nozzleDiameter: 0.4, bedWidthMm: 180, bedDepthMm: 180 },
    cyl15,
    { material: 'PLA' },
    ['PRINTER_MODEL_MISMATCH', 'BED_TOO_SMALL'],
  ],
  ['bed smaller in one direction only', { ...mk3s, bedDepthMm: 200 }, cyl15, { material: 'PLA' }, ['BED_TOO_SMALL']],
  [
    'everything wrong at once',
    { model: 'Ender-3', nozzleDiameter: 0.6, bedWidthMm: 220, bedDepthMm: 220 },
    cyl15,
    { material: 'ABS' },
    ['PRINTER_MODEL_MISMATCH', 'BED_TOO_SMALL', 'NOZZLE_MISMATCH', 'FILAMENT_MISMATCH'],
  ],
  ['Bambu model code N2S is an A1', a1, bambuA1, { material: 'PETG' }, []],
  [
    'N2S is not an A1 mini',
    { ...a1, model: 'A1 mini', bedWidthMm: 180, bedDepthMm: 180 },
    bambuA1,
    { material: 'PETG' },
    ['PRINTER_MODEL_MISMATCH', 'BED_TOO_SMALL'],
  ],
  ['"Bambu Lab X1 Carbon" is an X1C', { ...a1, model: 'X1C' }, bambuX1, { material: 'PLA' }, []],
  ['slicer PET runs on a PETG spool', a1, { filamentTypes: ['PET'] }, { material: 'PETG' }, []],
  ['slicer FLEX runs on TPU', a1, { filamentTypes: ['FLEX'] }, { material: 'TPU' }, []],
  ['PLA-CF is PLA', a1, { filamentTypes: ['PLA-CF'] }, { material: 'PLA' }, []],
  [
    'a spool catalogued OTHER covers materials outside the known families',
    a1,
    { filamentTypes: ['PP'] },
    { material: 'OTHER' },
    [],
  ],
  ['...but not PLA', a1, { filamentTypes: ['PLA'] }, { material: 'OTHER' }, ['FILAMENT_MISMATCH']],
  ['a file that says nothing fits anything', a1, {}, { material: 'ABS' }, []],
];

describe('checkCompatibility', () => {
  it('reads the real PrusaSlicer fixture the table relies on', () => {
    expect(cyl15).toMatchObject({ printerModel: 'MK3S', nozzleDiameterMm: [0.4], filamentTypes: ['PLA'] });
    expect(cyl15.printableArea).toMatchObject({ widthMm: 250, depthMm: 210 });
  });

  it.each(TABLE)('%s', (_name, printer, metadata, loaded, expected) => {
    const result = checkCompatibility(printer, metadata, loaded);
    if (expected.length === 0) expect(result).toEqual({ ok: true });
    else {
      expect(result.ok).toBe(false);
      const reasons = result.ok ? [] : result.reasons;
      expect(reasons.map((r) => r.code)).toEqual(expected);
      for (const r of reasons) expect(r.message.length).toBeGreaterThan(10);
    }
  });

  it('explains a mismatch in words a person can act on', () => {
    const result = checkCompatibility({ ...mk3s, nozzleDiameter: 0.6 }, cyl15, { material: 'PETG' });
    expect(result).toEqual({
      ok: false,
      reasons: [
        { code: 'NOZZLE_MISMATCH', message: 'sliced for a 0.4 mm nozzle, this printer has 0.6 mm' },
        { code: 'FILAMENT_MISMATCH', message: 'needs PLA, loaded: PETG' },
      ],
    });
  });
});

describe('normalising names', () => {
  it.each([
    ['Original Prusa MK3S+', 'mk3s'],
    ['MK3S', 'mk3s'],
    ['Bambu Lab X1 Carbon', 'x1c'],
    ['BL-P001', 'x1c'],
    ['C12', 'p1s'],
    ['Bambu Lab A1 mini', 'a1mini'],
    ['Creality Ender-3 Pro', 'ender3pro'],
  ])('printer model %s -> %s', (name, key) => expect(printerModelKey(name)).toBe(key));

  it.each([
    ['PET', 'PETG'],
    ['Generic PETG', 'PETG'],
    ['PCTG', 'PETG'],
    ['NYLON', 'PA'],
    ['PA6-CF', 'PA'],
    ['pla+', 'PLA'],
    ['PC', 'PC'],
    ['PP', 'PP'],
  ])('material %s -> %s', (name, family) => expect(materialFamily(name)).toBe(family));
});
