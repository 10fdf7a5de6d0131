/** Which organization the user works in (new documents go there), remembered per user. */
import type { Me } from '../api/authTypes.js';
import { readJson, writeJson } from '../localJson.js';

const keyOf = (userId: string) => `fleetsync.org.${userId}`;

export function chooseOrg(userId: string, me: Me | null): string | null {
  const orgs = me?.orgs ?? [];
  const saved = readJson(keyOf(userId));
  if (typeof saved === 'string' && orgs.some((o) => o.id === saved)) return saved;
  return (orgs.find((o) => !o.suspended) ?? orgs[0])?.id ?? null;
}

export function rememberOrg(userId: string, orgId: string): void {
  writeJson(keyOf(userId), orgId);
}
