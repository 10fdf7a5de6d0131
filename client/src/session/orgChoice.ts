/** Which organization the user works in (new documents go there), remembered per user. */
import { readJson, writeJson } from '../localJson.js';

const keyOf = (userId: string) => `fleetsync.org.${userId}`;

/** The remembered org if it is still on offer, else the first active one (null when there is none). */
export function chooseOrg(userId: string, orgs: readonly { id: string; suspended: boolean }[]): string | null {
  const saved = readJson(keyOf(userId));
  if (typeof saved === 'string' && orgs.some((o) => o.id === saved)) return saved;
  return (orgs.find((o) => !o.suspended) ?? orgs[0])?.id ?? null;
}

export function rememberOrg(userId: string, orgId: string): void {
  writeJson(keyOf(userId), orgId);
}
