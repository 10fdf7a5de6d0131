/** A small farm on a test server: an org, an admin and an operator, one printer assigned to a bridge, a bridge token. */
import { expect } from 'vitest';
import type { TestEnv, TestUser } from '../../../../sync-server/test/support/testServer.js';
import { eventually } from '../../../../sync-server/test/support/nodeReplica.js';
import { call } from '../../../../sync-server/test/support/http.js';
import { commandDoc, printerDoc, row } from '../../../../sync-server/test/support/docs.js';
import { storedDoc } from './docVersions.js';

export interface Farm {
  orgId: string;
  operator: TestUser;
  printerId: string;
  bridgeToken: string;
}

export async function setUpFarm(
  env: TestEnv,
  opts: { name: string; bridgeId: string; protocol: string; host: string; credentials: Record<string, string> },
): Promise<Farm> {
  const orgId = await env.org(opts.name);
  const slug = opts.bridgeId.toLowerCase();
  const admin = await env.user(`admin@${slug}.test`, { [orgId]: 'admin' });
  const operator = await env.user(`operator@${slug}.test`, { [orgId]: 'operator' });
  const printer = printerDoc(orgId, { name: 'Voron 2.4', protocol: opts.protocol, bridgeId: opts.bridgeId, host: opts.host });
  const pushed = await call<{ rejections: unknown[] }>(env.url, '/api/sync/printers/push', {
    body: { rows: [row(printer)] },
    token: admin.token,
  });
  expect(pushed.body.rejections).toEqual([]);
  const creds = await call(env.url, `/api/printers/${printer.id}/credentials`, {
    method: 'PUT',
    body: opts.credentials,
    token: admin.token,
  });
  expect(creds.status).toBe(204);
  const token = await call<{ token: string }>(env.url, '/api/tokens', {
    body: { name: `${opts.bridgeId} bridge`, scopes: ['bridge'], expiresInDays: 1, orgId, bridgeId: opts.bridgeId },
    token: admin.token,
  });
  return { orgId, operator, printerId: printer.id, bridgeToken: token.body.token };
}

/** An operator writes a command document (through the server's sync push). */
export async function issueCommand(env: TestEnv, farm: Farm, over: Record<string, unknown>): Promise<string> {
  const cmd = commandDoc(farm.orgId, farm.printerId, over);
  const res = await call<{ rejections: unknown[] }>(env.url, '/api/sync/commands/push', {
    body: { rows: [row(cmd)] },
    token: farm.operator.token,
  });
  expect(res.body.rejections).toEqual([]);
  return cmd.id;
}

/** The command as stored on the server once it has a final status. */
export async function finalCommand(env: TestEnv, id: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  let doc: Record<string, unknown> | undefined;
  await eventually(
    async () => {
      doc = await storedDoc(env.db, 'commands', id);
      return ['succeeded', 'failed', 'expired'].includes(String(doc?.status));
    },
    timeoutMs,
    `a final status for command ${id}`,
  );
  return doc!;
}
