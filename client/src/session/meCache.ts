/** The last `/api/me` answer per user, so an offline start still knows orgs and roles. */
import type { Me } from '../api/authTypes.js';
import { parseMe } from '../api/authTypes.js';
import { readJson, removeKey, writeJson } from '../localJson.js';

const keyOf = (userId: string) => `fleetsync.me.${userId}`;

export function loadCachedMe(userId: string): Me | null {
  const v = readJson(keyOf(userId));
  if (!v) return null;
  try {
    const me = parseMe(v);
    return me.user.id === userId ? me : null;
  } catch {
    return null;
  }
}

export function cacheMe(me: Me): void {
  writeJson(keyOf(me.user.id), me);
}

export function forgetMe(userId: string): void {
  removeKey(keyOf(userId));
}
