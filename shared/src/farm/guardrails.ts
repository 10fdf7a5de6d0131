/**
 * Compatibility guardrail (printfarm anchor §3e): may this sliced file run on this printer
 * with what is loaded? Checks the printer model, the printable area against the bed, the
 * nozzle diameter, and the filament types against the loaded spool(s). Something the file
 * does not say, or the printer does not report, is not a reason to refuse: only a known
 * mismatch is.
 */
import type { PrintFileMetadata } from '../metadata/types.js';

export type CompatibilityCode = 'PRINTER_MODEL_MISMATCH' | 'BED_TOO_SMALL' | 'NOZZLE_MISMATCH' | 'FILAMENT_MISMATCH';

export interface CompatibilityReason {
  code: CompatibilityCode;
  message: string;
}

export type CompatibilityResult = { ok: true } | { ok: false; reasons: CompatibilityReason[] };

export interface PrinterForCompatibility {
  model: string;
  nozzleDiameter: number;
  bedWidthMm: number;
  bedDepthMm: number;
  /** What the printer (or its bridge) says is loaded, when no spool document is known. */
  loadedMaterial?: string;
}

export interface LoadedFilament {
  material: string;
}

/** Millimetres of slack for bed sizes written with rounding (e.g. 250.0 vs 250.2). */
const BED_TOLERANCE_MM = 0.5;
const NOZZLE_TOLERANCE_MM = 0.001;

/** Bambu Lab model codes as they appear in 3MF slice_info (`printer_model_id`) and MQTT. */
const BAMBU_MODEL_CODES: Record<string, string> = {
  'bl-p001': 'x1c',
  'bl-p002': 'x1',
  c13: 'x1e',
  c11: 'p1p',
  c12: 'p1s',
  n1: 'a1mini',
  n2s: 'a1',
  o1d: 'h2d',
};
/** Words that name a vendor or a product line, not the model. */
const VENDOR_WORDS = new Set([
  'original',
  'prusa',
  'prusa3d',
  'bambu',
  'lab',
  'bambulab',
  'creality',
  'elegoo',
  'anycubic',
  'voron',
]);
const MODEL_ALIASES: Record<string, string> = {
  x1carbon: 'x1c',
  a1m: 'a1mini',
  mk3splus: 'mk3s',
  miniplus: 'mini',
  mk4splus: 'mk4s',
};

/** A comparable key for a printer model name or code: `Original Prusa MK3S+` -> `mk3s`, `Bambu Lab X1 Carbon` -> `x1c`. */
export function printerModelKey(name: string): string {
  const lower = name.trim().toLowerCase();
  if (BAMBU_MODEL_CODES[lower]) return BAMBU_MODEL_CODES[lower];
  const words = lower
    .replace(/\+/g, 'plus')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !VENDOR_WORDS.has(w));
  let key = words.join('');
  // "MK3S+" and "MINI+" are the same machines as far as a sliced file is concerned.
  if (key.endsWith('plus') && key.length > 4) key = key.slice(0, -4);
  return MODEL_ALIASES[key] ?? key;
}

/** Filament families: slicer names (`PET`, `FLEX`, `PLA-CF`, `Generic PETG`) onto the spool catalog's materials. */
export function materialFamily(name: string): string {
  const s = name
    .trim()
    .toUpperCase()
    .replace(/^GENERIC\s+/, '');
  const rules: [RegExp, string][] = [
    [/^(PET|CPE|PCTG)/, 'PETG'],
    [/^(TPU|TPE|FLEX)/, 'TPU'],
    [/^(PA|NYLON)/, 'PA'],
    [/^PLA/, 'PLA'],
    [/^ABS/, 'ABS'],
    [/^ASA/, 'ASA'],
    [/^PC/, 'PC'],
    [/^PVA/, 'PVA'],
    [/^HIPS/, 'HIPS'],
  ];
  for (const [re, family] of rules) if (re.test(s)) return family;
  return s || 'OTHER';
}
const KNOWN_FAMILIES = new Set(['PLA', 'PETG', 'ABS', 'ASA', 'TPU', 'PA', 'PC', 'PVA', 'HIPS']);

export function checkCompatibility(
  printer: PrinterForCompatibility,
  metadata: PrintFileMetadata,
  loadedSpool?: LoadedFilament | readonly LoadedFilament[],
): CompatibilityResult {
  const reasons: CompatibilityReason[] = [];

  const fileModel = metadata.printerModel ?? metadata.printerModelId;
  if (fileModel && printer.model.trim() && printerModelKey(fileModel) !== printerModelKey(printer.model)) {
    reasons.push({
      code: 'PRINTER_MODEL_MISMATCH',
      message: `sliced for ${fileModel}, this printer is a ${printer.model}`,
    });
  }

  const area = metadata.printableArea;
  if (area && (area.widthMm > printer.bedWidthMm + BED_TOLERANCE_MM || area.depthMm > printer.bedDepthMm + BED_TOLERANCE_MM)) {
    reasons.push({
      code: 'BED_TOO_SMALL',
      message: `needs a ${area.widthMm} x ${area.depthMm} mm bed, this printer has ${printer.bedWidthMm} x ${printer.bedDepthMm} mm`,
    });
  }

  const nozzles = [...new Set(metadata.nozzleDiameterMm ?? [])];
  const wrongNozzle = nozzles.find((d) => Math.abs(d - printer.nozzleDiameter) > NOZZLE_TOLERANCE_MM);
  if (wrongNozzle !== undefined) {
    reasons.push({
      code: 'NOZZLE_MISMATCH',
      message: `sliced for a ${wrongNozzle} mm nozzle, this printer has ${printer.nozzleDiameter} mm`,
    });
  }

  const loaded = loadedSpool === undefined ? [] : Array.isArray(loadedSpool) ? loadedSpool : [loadedSpool as LoadedFilament];
  const loadedNames = loaded.length > 0 ? loaded.map((s) => s.material) : printer.loadedMaterial ? [printer.loadedMaterial] : [];
  if (loadedNames.length > 0) {
    const loadedFamilies = new Set(loadedNames.map(materialFamily));
    // A spool catalogued as OTHER stands for any material outside the known families.
    const fits = (t: string): boolean =>
      loadedFamilies.has(materialFamily(t)) || (loadedFamilies.has('OTHER') && !KNOWN_FAMILIES.has(materialFamily(t)));
    const missing = [...new Set(metadata.filamentTypes ?? [])].filter((t) => !fits(t));
    if (missing.length > 0) {
      reasons.push({
        code: 'FILAMENT_MISMATCH',
        message: `needs ${missing.join(', ')}, loaded: ${[...new Set(loadedNames)].join(', ')}`,
      });
    }
  }

  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}
