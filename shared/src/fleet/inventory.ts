/**
 * Endpoint inventory: what an agent reports about its host, the deltas it sends, and the
 * changes the server records as history. Pure; the collectors live in the agent.
 */
import { z } from 'zod';
import { stableStringify } from '../sync/merge.js';

const text = (max: number) => z.string().max(max);
const bytes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const packageEntrySchema = z.object({ name: text(200).min(1), version: text(120), arch: text(20).optional() }).strict();
export type PackageEntry = z.infer<typeof packageEntrySchema>;

export const PACKAGE_MANAGERS = ['dpkg', 'rpm', 'none'] as const;

export const inventorySchema = z
  .object({
    os: z.object({ name: text(120), version: text(60), id: text(40).optional(), kernel: text(120), arch: text(20) }).strict(),
    hostname: text(255),
    cpu: z.object({ model: text(200), cores: z.number().int().min(0).max(4096) }).strict(),
    memory: z.object({ totalBytes: bytes, freeBytes: bytes }).strict(),
    disks: z.array(z.object({ mount: text(255), fsType: text(40), totalBytes: bytes, freeBytes: bytes }).strict()).max(64),
    network: z
      .array(
        z
          .object({
            name: text(64),
            mac: text(40),
            ipv4: z.array(text(45)).max(32),
            ipv6: z.array(text(64)).max(32),
          })
          .strict(),
      )
      .max(64),
    uptimeSeconds: z.number().int().min(0).max(1e10),
    packageManager: z.enum(PACKAGE_MANAGERS),
    packages: z.array(packageEntrySchema).max(20_000),
    adminUsers: z.array(text(64)).max(500),
    sshEnabled: z.boolean(),
  })
  .strict();
export type Inventory = z.infer<typeof inventorySchema>;
export type InventorySection = keyof Inventory;
export const INVENTORY_SECTIONS = Object.keys(inventorySchema.shape) as InventorySection[];

/**
 * A delta from the inventory the server acknowledged last (`baseHash`; null means "this is
 * everything"). Small sections are replaced whole; packages travel as added/removed/changed.
 */
export const inventoryDeltaSchema = z
  .object({
    baseHash: text(32).nullable(),
    hash: text(32),
    set: inventorySchema.partial().omit({ packages: true }),
    packages: z
      .object({
        added: z.array(packageEntrySchema).max(20_000),
        removed: z.array(text(200)).max(20_000),
      })
      .strict()
      .optional(),
  })
  .strict();
export type InventoryDelta = z.infer<typeof inventoryDeltaSchema>;

/** Fields that change all the time: kept current in the document, never written to history. */
const VOLATILE: ReadonlySet<string> = new Set(['uptimeSeconds', 'memory.freeBytes', 'disks.freeBytes']);

/** cyrb53: a fast, well-spread 53-bit string hash (pure, sync; not for security). */
function cyrb53(str: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

const pkgKey = (p: PackageEntry) => (p.arch ? `${p.name}:${p.arch}` : p.name);

/** Packages sorted by name, so equal sets hash equally whatever order the collector used. */
export function normalizeInventory(inv: Inventory): Inventory {
  return { ...inv, packages: [...inv.packages].sort((a, b) => (pkgKey(a) < pkgKey(b) ? -1 : pkgKey(a) > pkgKey(b) ? 1 : 0)) };
}

export function inventoryHash(inv: Inventory): string {
  return cyrb53(stableStringify(normalizeInventory(inv)));
}

/** The delta that turns `base` (what the server has) into `next`. */
export function diffInventory(base: Inventory | null, next: Inventory): InventoryDelta {
  const hash = inventoryHash(next);
  if (!base) {
    const { packages, ...rest } = next;
    return { baseHash: null, hash, set: rest, packages: { added: packages, removed: [] } };
  }
  const set: Record<string, unknown> = {};
  for (const key of INVENTORY_SECTIONS) {
    if (key === 'packages') continue;
    if (stableStringify(base[key]) !== stableStringify(next[key])) set[key] = next[key];
  }
  const before = new Map(base.packages.map((p) => [pkgKey(p), p]));
  const after = new Map(next.packages.map((p) => [pkgKey(p), p]));
  const added = next.packages.filter((p) => stableStringify(before.get(pkgKey(p))) !== stableStringify(p));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const delta: InventoryDelta = { baseHash: inventoryHash(base), hash, set: set as InventoryDelta['set'] };
  if (added.length || removed.length) delta.packages = { added, removed };
  return delta;
}

/**
 * Applies a delta. Returns null when it cannot apply (no base for a partial delta, or the
 * result does not hash to what the agent computed): the agent then sends everything.
 */
export function applyInventoryDelta(base: Inventory | null, delta: InventoryDelta): Inventory | null {
  if (delta.baseHash !== null && (!base || inventoryHash(base) !== delta.baseHash)) return null;
  const start: Partial<Inventory> = delta.baseHash === null ? {} : { ...base! };
  const merged = { ...start, ...delta.set } as Record<string, unknown>;
  const pkgs = new Map((delta.baseHash === null ? [] : base!.packages).map((p) => [pkgKey(p), p]));
  for (const name of delta.packages?.removed ?? []) pkgs.delete(name);
  for (const p of delta.packages?.added ?? []) pkgs.set(pkgKey(p), p);
  merged.packages = [...pkgs.values()];
  const parsed = inventorySchema.safeParse(merged);
  if (!parsed.success) return null;
  const out = normalizeInventory(parsed.data);
  return inventoryHash(out) === delta.hash ? out : null;
}

export type InventoryChange =
  | { path: string; from: unknown; to: unknown }
  | {
      path: 'packages';
      added: PackageEntry[];
      removed: PackageEntry[];
      changed: { name: string; from: string; to: string }[];
      /** Set on the first report instead of listing every package. */
      total?: number;
    };

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    // Arrays of objects keyed by a natural name (disks by mount, interfaces by name).
    const keyed = value.every((v) => v && typeof v === 'object' && ('mount' in v || 'name' in v));
    if (keyed && value.length > 0) {
      for (const v of value as Record<string, unknown>[]) flatten(v, `${prefix}[${String(v.mount ?? v.name)}]`, out);
      return;
    }
    out.set(prefix, value);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, value);
}

const isVolatile = (path: string) => VOLATILE.has(path.replace(/\[[^\]]*\]/g, ''));

/** What changed between two inventories, for the history timeline (volatile fields left out). */
export function inventoryChanges(before: Inventory | null, after: Inventory): InventoryChange[] {
  const changes: InventoryChange[] = [];
  const { packages: pa = [], ...restA } = before ?? ({} as Partial<Inventory>);
  const { packages: pb, ...restB } = after;
  const fa = new Map<string, unknown>();
  const fb = new Map<string, unknown>();
  flatten(restA, '', fa);
  flatten(restB, '', fb);
  for (const path of [...new Set([...fa.keys(), ...fb.keys()])].sort()) {
    if (isVolatile(path)) continue;
    const from = fa.get(path);
    const to = fb.get(path);
    if (stableStringify(from) !== stableStringify(to)) changes.push({ path, from: from ?? null, to: to ?? null });
  }
  const ma = new Map(pa.map((p) => [pkgKey(p), p]));
  const mb = new Map(pb.map((p) => [pkgKey(p), p]));
  const added = pb.filter((p) => !ma.has(pkgKey(p)));
  const removed = pa.filter((p) => !mb.has(pkgKey(p)));
  const changed = pb
    .filter((p) => ma.has(pkgKey(p)) && ma.get(pkgKey(p))!.version !== p.version)
    .map((p) => ({ name: pkgKey(p), from: ma.get(pkgKey(p))!.version, to: p.version }));
  if (added.length || removed.length || changed.length) {
    // A first report lists thousands of packages: history keeps the count, not the list.
    const first = before === null;
    changes.push({ path: 'packages', added: first ? [] : added, removed, changed, ...(first ? { total: added.length } : {}) });
  }
  return changes;
}
