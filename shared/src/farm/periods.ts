/**
 * Quota periods and report windows, in UTC. A window is computed from "now" on every read,
 * so a period resets lazily: nothing has to run at midnight. A semester is January–June or
 * July–December.
 */
export const QUOTA_PERIODS = ['daily', 'weekly', 'monthly', 'semester'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

/** `[from, to)`: from inclusive, to exclusive. */
export interface TimeWindow {
  from: Date;
  to: Date;
}

const utc = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m, d));

/** The window of `period` that contains `now` (weeks start on Monday, ISO 8601). */
export function periodWindow(period: QuotaPeriod, now: Date): TimeWindow {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (period) {
    case 'daily':
      return { from: utc(y, m, d), to: utc(y, m, d + 1) };
    case 'weekly': {
      const sinceMonday = (now.getUTCDay() + 6) % 7;
      return { from: utc(y, m, d - sinceMonday), to: utc(y, m, d - sinceMonday + 7) };
    }
    case 'monthly':
      return { from: utc(y, m, 1), to: utc(y, m + 1, 1) };
    case 'semester': {
      const first = m < 6 ? 0 : 6;
      return { from: utc(y, first, 1), to: utc(y, first + 6, 1) };
    }
  }
}

/** The calendar month containing `now` ("this month's spend"). */
export function monthWindow(now: Date): TimeWindow {
  return periodWindow('monthly', now);
}

/** ISO 8601 week key, e.g. `2025-W01` (the week with the year's first Thursday is week 1). */
export function isoWeekKey(at: Date): string {
  const day = utc(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = (day.getUTCDay() + 6) % 7; // Monday = 0
  day.setUTCDate(day.getUTCDate() - weekday + 3); // the Thursday of this week decides the year
  const year = day.getUTCFullYear();
  const firstThursday = utc(year, 0, 4);
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((day.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}
