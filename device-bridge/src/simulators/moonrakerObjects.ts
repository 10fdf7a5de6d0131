/** The Klipper printer objects a Moonraker simulator reports, and subscription filtering and deltas. */
import type { SimSnapshot } from './simulatedPrinter.js';

export type Objects = Record<string, Record<string, unknown>>;
/** `{ print_stats: null, extruder: ['temperature'] }`: null means every field. */
export type ObjectSelection = Record<string, string[] | null>;

const STATES: Record<SimSnapshot['phase'], string> = {
  idle: 'standby',
  heating: 'printing',
  printing: 'printing',
  paused: 'paused',
  finished: 'complete',
  cancelled: 'cancelled',
  failed: 'error',
};

export function moonrakerObjects(s: SimSnapshot): Objects {
  const job = s.job;
  const fraction = s.progress / 100;
  return {
    webhooks: { state: 'ready', state_message: 'Printer is ready' },
    print_stats: {
      filename: job?.fileName ?? '',
      total_duration: job ? Math.round(job.elapsedS) : 0,
      print_duration: job ? Math.round(job.elapsedS * 10) / 10 : 0,
      filament_used: Math.round(fraction * 1500),
      state: STATES[s.phase],
      message: s.fault?.message ?? '',
      info: { total_layer: job?.totalLayers ?? null, current_layer: job ? s.layer : null },
    },
    virtual_sdcard: {
      file_path: job ? `/home/pi/printer_data/gcodes/${job.fileName}` : null,
      progress: fraction,
      is_active: s.phase === 'printing' || s.phase === 'heating',
      file_position: Math.round(fraction * 100_000),
      file_size: job ? 100_000 : 0,
    },
    extruder: { temperature: s.nozzle.temp, target: s.nozzle.target, power: s.nozzle.temp < s.nozzle.target ? 1 : 0.2 },
    heater_bed: { temperature: s.bed.temp, target: s.bed.target, power: s.bed.temp < s.bed.target ? 1 : 0.3 },
    display_status: { progress: fraction, message: null },
  };
}

export function selectObjects(objects: Objects, selection: ObjectSelection): Objects {
  const out: Objects = {};
  for (const [name, fields] of Object.entries(selection)) {
    const object = objects[name];
    if (!object) continue;
    out[name] = Array.isArray(fields)
      ? Object.fromEntries(fields.filter((f) => f in object).map((f) => [f, object[f]]))
      : { ...object };
  }
  return out;
}

/** Only the fields that changed, per object, as notify_status_update sends them. */
export function objectDelta(previous: Objects, current: Objects): Objects {
  const delta: Objects = {};
  for (const [name, fields] of Object.entries(current)) {
    for (const [field, value] of Object.entries(fields)) {
      if (JSON.stringify(previous[name]?.[field]) === JSON.stringify(value)) continue;
      (delta[name] ??= {})[field] = value;
    }
  }
  return delta;
}
