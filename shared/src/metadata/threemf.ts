/**
 * Metadata of Bambu Studio / OrcaSlicer 3MF projects (printfarm anchor §3e):
 * `Metadata/slice_info.config` (XML, one <plate> per sliced plate) for time, weight and
 * filaments; `Metadata/project_settings.config` (JSON) for printer model, bed and nozzle.
 */
import { unzipSync, strFromU8 } from 'fflate';
import type { PlateFilament, PlateMetadata, PrintFileMetadata } from './types.js';
import { parseBedShape, parseNumber, parseNumberList, sum } from './values.js';

export const SLICE_INFO_PATH = 'Metadata/slice_info.config';
export const PROJECT_SETTINGS_PATH = 'Metadata/project_settings.config';

export interface ThreeMfTexts {
  sliceInfo?: string;
  projectSettings?: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? '';
  });
}

/** Attributes of every `<tag .../>` or `<tag ...>` in the text, in order. */
function elements(xml: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const match of xml.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))) {
    const attributes: Record<string, string> = {};
    for (const attr of (match[1] ?? '').matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      attributes[attr[1] ?? ''] = decodeXml(attr[3] ?? attr[4] ?? '');
    }
    out.push(attributes);
  }
  return out;
}

function parsePlate(xml: string): PlateMetadata | undefined {
  const meta = new Map(elements(xml, 'metadata').map((m) => [m.key ?? '', m.value ?? '']));
  const index = parseNumber(meta.get('index'));
  if (index === undefined) return undefined;
  const filaments: PlateFilament[] = elements(xml, 'filament').map((f) => ({
    id: f.id ?? '',
    type: f.type || undefined,
    color: f.color || undefined,
    usedMeters: parseNumber(f.used_m),
    usedGrams: parseNumber(f.used_g),
  }));
  return {
    index,
    estimatedSeconds: parseNumber(meta.get('prediction')),
    weightGrams: parseNumber(meta.get('weight')),
    printerModelId: meta.get('printer_model_id') || undefined,
    nozzleDiameterMm: parseNumber(meta.get('nozzle_diameters')),
    filaments,
  };
}

/** Plates and client version from `slice_info.config`. An unsliced project has no plates. */
export function parseSliceInfo(xml: string): { plates: PlateMetadata[]; slicerVersion?: string } {
  const plates: PlateMetadata[] = [];
  for (const match of xml.matchAll(/<plate\b[^>]*>([\s\S]*?)<\/plate>/g)) {
    const plate = parsePlate(match[1] ?? '');
    if (plate) plates.push(plate);
  }
  const version = elements(xml, 'header_item').find((h) => h.key === 'X-BBL-Client-Version')?.value;
  return { plates, slicerVersion: version || undefined };
}

const firstText = (value: unknown): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : typeof first === 'number' ? String(first) : undefined;
};
const textList = (value: unknown): string[] | undefined => {
  const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
  return list.length > 0 ? list : undefined;
};

/** Printer, bed, nozzle and filament settings from `project_settings.config` (JSON). */
export function parseProjectSettings(json: string): PrintFileMetadata {
  let settings: unknown;
  try {
    settings = JSON.parse(json);
  } catch {
    return {};
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return {};
  const s = settings as Record<string, unknown>;
  const area = s.printable_area;
  const nozzles = textList(s.nozzle_diameter)?.join(',');
  return {
    printerModel: firstText(s.printer_model),
    printerSettingsId: firstText(s.printer_settings_id),
    printableArea: Array.isArray(area)
      ? parseBedShape(area.map(String))
      : typeof area === 'string'
        ? parseBedShape(area)
        : undefined,
    maxHeightMm: parseNumber(firstText(s.printable_height)),
    nozzleDiameterMm: nozzles ? parseNumberList(nozzles) : undefined,
    filamentTypes: textList(s.filament_type),
    layerHeightMm: parseNumber(firstText(s.layer_height)),
    firstLayerHeightMm: parseNumber(firstText(s.initial_layer_print_height)),
    bedType: firstText(s.curr_bed_type),
  };
}

/** One record from both config texts; top-level time and weight are the sums over plates. */
export function extractThreeMfMetadata(texts: ThreeMfTexts): PrintFileMetadata {
  const out: PrintFileMetadata = texts.projectSettings ? parseProjectSettings(texts.projectSettings) : {};
  if (texts.sliceInfo) {
    const { plates, slicerVersion } = parseSliceInfo(texts.sliceInfo);
    if (slicerVersion) out.slicerVersion = slicerVersion;
    out.plates = plates;
    const times = plates.map((p) => p.estimatedSeconds).filter((t): t is number => t !== undefined);
    const weights = plates.map((p) => p.weightGrams).filter((w): w is number => w !== undefined);
    if (times.length > 0) out.estimatedSeconds = Math.round(sum(times));
    if (weights.length > 0) out.totalFilamentGrams = sum(weights);
    out.printerModelId = plates.find((p) => p.printerModelId)?.printerModelId;
    const usedTypes = [...new Set(plates.flatMap((p) => p.filaments.map((f) => f.type)).filter((t): t is string => !!t))];
    if (usedTypes.length > 0) out.filamentTypes = usedTypes;
    if (!out.nozzleDiameterMm) {
      const nozzle = plates.find((p) => p.nozzleDiameterMm !== undefined)?.nozzleDiameterMm;
      if (nozzle !== undefined) out.nozzleDiameterMm = [nozzle];
    }
  }
  if (out.slicerVersion && !out.slicer) out.slicer = 'BambuStudio';
  for (const key of Object.keys(out) as (keyof PrintFileMetadata)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/** Metadata of a whole `.3mf` / `.gcode.3mf` file; only the two config entries are inflated. */
export function readThreeMf(bytes: Uint8Array): PrintFileMetadata {
  const entries = unzipSync(bytes, { filter: (file) => file.name === SLICE_INFO_PATH || file.name === PROJECT_SETTINGS_PATH });
  const text = (name: string): string | undefined => (entries[name] ? strFromU8(entries[name]) : undefined);
  return extractThreeMfMetadata({ sliceInfo: text(SLICE_INFO_PATH), projectSettings: text(PROJECT_SETTINGS_PATH) });
}
