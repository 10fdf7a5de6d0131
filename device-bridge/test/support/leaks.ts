/** A last check per test file: no sockets, servers or timers left open by what the file started. */
import { expect } from 'vitest';

const WATCHED = ['TCPSocketWrap', 'TCPServerWrap', 'TLSWrap', 'Timeout', 'MessagePort', 'Worker'];

export function openResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) if (WATCHED.includes(name)) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** Fails when more resources of a watched kind are open than at `baseline` (after up to 2 s of settling). */
export async function expectNothingLeft(baseline: Record<string, number>): Promise<void> {
  const extra = (): Record<string, number> => {
    const now = openResources();
    return Object.fromEntries(Object.entries(now).filter(([name, count]) => count > (baseline[name] ?? 0)));
  };
  const deadline = Date.now() + 2_000;
  while (Object.keys(extra()).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(extra()).toEqual({});
}
