/** Calls back shortly before an access token expires, so sync never runs on an expired one. */
const LEAD_MS = 60_000;
const MIN_MS = 5_000;
const MAX_MS = 2 ** 31 - 1;

export function scheduleBeforeExpiry(expiresAt: string | undefined, onDue: () => void): () => void {
  const at = expiresAt ? Date.parse(expiresAt) : NaN;
  if (Number.isNaN(at)) return () => undefined;
  const delay = Math.min(Math.max(at - Date.now() - LEAD_MS, MIN_MS), MAX_MS);
  const timer = setTimeout(onDue, delay);
  return () => clearTimeout(timer);
}
