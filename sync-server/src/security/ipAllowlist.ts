/**
 * IP allowlists, instance-wide and per org. Mode `all` guards UI and API; mode `api` guards
 * only API-token requests. Loopback may bypass (so an operator on the host cannot be locked
 * out). A change that would exclude the caller's own address is refused.
 */
import { BlockList, isIP } from 'node:net';
import { ErrorCode } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { AppError } from '../http/errors.js';

export interface AllowlistSettings {
  cidrs: string[];
  mode: 'all' | 'api';
  loopbackBypass: boolean;
}

export function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** Parses `a.b.c.d/n` and IPv6 CIDRs (a bare address means /32 or /128). Throws on nonsense. */
export function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address = '', prefixText] = cidr.trim().split('/');
  const v = isIP(address);
  if (v === 0) throw new AppError(ErrorCode.VALIDATION_FAILED, `${cidr} is not an IP address or CIDR range`);
  const max = v === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `${cidr} has an invalid prefix length (0-${max})`);
  }
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

export function isLoopback(ip: string): boolean {
  const n = normaliseIp(ip);
  return n === '::1' || n.startsWith('127.');
}

export function ipAllowed(settings: AllowlistSettings, ip: string): boolean {
  if (settings.cidrs.length === 0) return true;
  const addr = normaliseIp(ip);
  if (settings.loopbackBypass && isLoopback(addr)) return true;
  const list = new BlockList();
  for (const c of settings.cidrs) {
    const p = parseCidr(c);
    list.addSubnet(p.address, p.prefix, p.family);
  }
  const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
  return list.check(addr, family);
}

export async function loadAllowlist(db: Db, scope: string): Promise<AllowlistSettings> {
  const res = await db.query<{ ip_allowlist: string[]; ip_allowlist_mode: 'all' | 'api'; loopback_bypass: boolean }>(
    'SELECT ip_allowlist, ip_allowlist_mode, loopback_bypass FROM security_settings WHERE scope = $1',
    [scope],
  );
  const r = res.rows[0];
  return r
    ? { cidrs: r.ip_allowlist, mode: r.ip_allowlist_mode, loopbackBypass: r.loopback_bypass }
    : { cidrs: [], mode: 'all', loopbackBypass: true };
}

export async function saveAllowlist(db: Db, scope: string, s: AllowlistSettings): Promise<void> {
  await db.query(
    `INSERT INTO security_settings (scope, ip_allowlist, ip_allowlist_mode, loopback_bypass) VALUES ($1, $2, $3, $4)
     ON CONFLICT (scope) DO UPDATE SET ip_allowlist = $2, ip_allowlist_mode = $3, loopback_bypass = $4, updated_at = now()`,
    [scope, s.cidrs, s.mode, s.loopbackBypass],
  );
}

/** Which orgs (of the given ones) refuse this request's address. */
export async function orgsBlockingIp(db: Db, orgIds: string[], ip: string, viaApiToken: boolean): Promise<Set<string>> {
  if (orgIds.length === 0) return new Set();
  const res = await db.query<{
    scope: string;
    ip_allowlist: string[];
    ip_allowlist_mode: 'all' | 'api';
    loopback_bypass: boolean;
  }>(
    'SELECT scope, ip_allowlist, ip_allowlist_mode, loopback_bypass FROM security_settings WHERE scope = ANY($1) AND cardinality(ip_allowlist) > 0',
    [orgIds],
  );
  const blocked = new Set<string>();
  for (const r of res.rows) {
    if (r.ip_allowlist_mode === 'api' && !viaApiToken) continue;
    if (!ipAllowed({ cidrs: r.ip_allowlist, mode: r.ip_allowlist_mode, loopbackBypass: r.loopback_bypass }, ip))
      blocked.add(r.scope);
  }
  return blocked;
}
