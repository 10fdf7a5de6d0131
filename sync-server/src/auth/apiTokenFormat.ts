/**
 * API token format: `fst_<43 chars of random base64url>_<crc32 hex>`. The checksum lets the
 * server refuse a mistyped or truncated token without a database lookup; the prefix makes
 * leaked tokens easy to recognise in logs and by secret scanners.
 */
import { randomBytes } from 'node:crypto';

export const API_TOKEN_PREFIX = 'fst_';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(s: string): string {
  let c = 0xffffffff;
  for (const b of Buffer.from(s)) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}

export function newApiToken(): string {
  const body = randomBytes(32).toString('base64url');
  return `${API_TOKEN_PREFIX}${body}_${crc32(body)}`;
}

export function apiTokenWellFormed(token: string): boolean {
  const m = /^fst_([A-Za-z0-9_-]{43})_([0-9a-f]{8})$/.exec(token);
  return !!m && crc32(m[1]!) === m[2];
}
