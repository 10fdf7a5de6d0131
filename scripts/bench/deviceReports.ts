/**
 * How the Moonraker device host stamps its reports so a receiving client can tell which report
 * it sees: report number k travels as the extruder temperature, TEMP_BASE + k/10 °C (inside the
 * printer document's limits, exact after the adapter's rounding to 0.01).
 */
export const TEMP_BASE = 150;
/** Reports per printer at most (k/10 must stay below 600 - TEMP_BASE). */
export const MAX_REPORTS = 4000;

export const tempOf = (k: number): number => TEMP_BASE + k / 10;

/** The report number carried by a nozzle temperature, or undefined. */
export const reportOf = (nozzleTemp: unknown): number | undefined =>
  typeof nozzleTemp === 'number' ? Math.round((nozzleTemp - TEMP_BASE) * 10) : undefined;
