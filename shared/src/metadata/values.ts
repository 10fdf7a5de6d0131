/** Small parsers for the value formats slicers write into comments and configs. */
import type { PrintableArea } from './types.js';

const DURATION_UNITS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/** Seconds from `1d 2h 3m 4s`, `17m 42s`, `1h2m`, or a plain number of seconds; undefined if none. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed));
  let total = 0;
  let found = false;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)\s*([dhms])(?![a-z])/gi)) {
    const unit = DURATION_UNITS[(match[2] ?? '').toLowerCase()];
    if (unit === undefined) continue;
    total += Number(match[1]) * unit;
    found = true;
  }
  return found ? Math.round(total) : undefined;
}

/** Finite numbers from a `,` or `;` separated list (`1392.74, 56.1`); undefined if none parse. */
export function parseNumberList(text: string): number[] | undefined {
  const values = text
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
  return values.length > 0 && values.every(Number.isFinite) ? values : undefined;
}

export function parseNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number.parseFloat(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** Non-empty entries of a `;` or `,` separated list, unquoted. */
export function parseTextList(text: string): string[] | undefined {
  const values = text
    .split(/[;,]/)
    .map((part) => part.trim().replace(/^"(.*)"$/, '$1'))
    .filter((part) => part !== '');
  return values.length > 0 ? values : undefined;
}

/** Width and depth of a bed outline given as `0x0,200x0,200x200,0x200` or as its points. */
export function parseBedShape(shape: string | string[]): PrintableArea | undefined {
  const points = (Array.isArray(shape) ? shape : shape.split(','))
    .map((point) => point.trim().split('x').map(Number))
    .filter((xy): xy is [number, number] => xy.length === 2 && xy.every(Number.isFinite));
  if (points.length < 3) return undefined;
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const widthMm = Math.max(...xs) - Math.min(...xs);
  const depthMm = Math.max(...ys) - Math.min(...ys);
  if (widthMm <= 0 || depthMm <= 0) return undefined;
  return { widthMm, depthMm, polygon: points };
}

export function sum(values: number[]): number {
  return Math.round(values.reduce((a, b) => a + b, 0) * 1000) / 1000;
}
