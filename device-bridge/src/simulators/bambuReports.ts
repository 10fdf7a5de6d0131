/**
 * What a simulated Bambu printer reports: the `print` object of push_status, as a full snapshot
 * (`msg: 0`, after pushall) or as a delta of changed keys (`msg: 1`). Like real printers, some
 * deltas carry their numbers as strings.
 */
import type { SimSnapshot } from './simulatedPrinter.js';

/** `print_error` for a print stopped by the user. */
export const PRINT_CANCELLED = 0x0300400c;

function gcodeState(s: SimSnapshot): { gcode_state: string; stg_cur: number } {
  switch (s.phase) {
    case 'idle':
      return { gcode_state: 'IDLE', stg_cur: -1 };
    case 'heating':
      if (s.bed.temp < s.bed.target - 1) return { gcode_state: 'PREPARE', stg_cur: 2 };
      return { gcode_state: 'RUNNING', stg_cur: 7 };
    case 'printing':
      return { gcode_state: 'RUNNING', stg_cur: 0 };
    case 'paused':
      return { gcode_state: 'PAUSE', stg_cur: 16 };
    case 'finished':
      return { gcode_state: 'FINISH', stg_cur: -1 };
    case 'cancelled':
    case 'failed':
      return { gcode_state: 'FAILED', stg_cur: -1 };
  }
}

export function bambuPrintFields(s: SimSnapshot): Record<string, unknown> {
  const job = s.job;
  const name = job?.fileName.replace(/(\.gcode)?\.3mf$|\.gcode$/i, '') ?? '';
  return {
    ...gcodeState(s),
    mc_percent: s.progress,
    mc_remaining_time: Math.ceil(s.remainingS / 60),
    layer_num: s.layer,
    total_layer_num: job?.totalLayers ?? 0,
    nozzle_temper: s.nozzle.temp,
    nozzle_target_temper: s.nozzle.target,
    bed_temper: s.bed.temp,
    bed_target_temper: s.bed.target,
    subtask_name: name,
    gcode_file: job?.fileName ?? '',
    print_type: job ? 'local' : 'idle',
    print_error: s.phase === 'cancelled' ? PRINT_CANCELLED : (s.fault?.printError ?? 0),
    hms: s.fault?.hms ? [s.fault.hms] : [],
    nozzle_diameter: '0.4',
    nozzle_type: 'hardened_steel',
    spd_lvl: 2,
    spd_mag: 100,
    wifi_signal: '-45dBm',
  };
}

/** Changed keys only. */
export function printDelta(previous: Record<string, unknown>, current: Record<string, unknown>): Record<string, unknown> {
  const delta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(current)) {
    if (JSON.stringify(previous[key]) !== JSON.stringify(value)) delta[key] = value;
  }
  return delta;
}

/** Numbers as strings ("215.0" style), the way several firmwares send them. */
export function stringifyNumbers(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));
}
