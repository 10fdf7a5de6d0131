/**
 * Dynamic device groups: JSON rules (AND/OR, nested up to three levels, optional NOT) over
 * inventory fields, tags, custom fields and last-seen age. Pure and deterministic: the server
 * (on inventory change), the bridge's worker and the PWA's preview all evaluate with this code.
 *
 * Semantics (the rule table in shared/test/fleetGroupRules.test.ts shows each case):
 * - string comparisons ignore case; `eq` on a list field means "some element equals";
 * - a missing value fails every operator except `missing` and `neq`;
 * - `and` of nothing is true, `or` of nothing is false; `not` negates the whole node.
 */
import { z } from 'zod';
import type { Inventory } from './inventory.js';
import { compareVersions } from './versions.js';

export const RULE_OPERATORS = [
  'eq',
  'neq',
  'contains',
  'startsWith',
  'endsWith',
  'in',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'missing',
  'inCidr',
  'versionEq',
  'versionGt',
  'versionGte',
  'versionLt',
  'versionLte',
] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

type FieldType = 'string' | 'number' | 'boolean' | 'list' | 'version' | 'ip';

/** The fields a rule may name. `custom.<key>` and `package.<name>` are open-ended. */
export const RULE_FIELDS: Record<string, FieldType> = {
  name: 'string',
  hostname: 'string',
  'os.name': 'string',
  'os.id': 'string',
  'os.version': 'version',
  'os.kernel': 'version',
  'os.arch': 'string',
  'cpu.model': 'string',
  'cpu.cores': 'number',
  'memory.totalBytes': 'number',
  'disk.totalBytes': 'number',
  'disk.minFreeBytes': 'number',
  'network.ipv4': 'ip',
  'network.mac': 'list',
  uptimeSeconds: 'number',
  packageManager: 'string',
  adminUsers: 'list',
  sshEnabled: 'boolean',
  tags: 'list',
  agentVersion: 'version',
  bridgeId: 'string',
  lastSeenMinutesAgo: 'number',
};

const OPS_BY_TYPE: Record<FieldType, readonly RuleOperator[]> = {
  string: ['eq', 'neq', 'contains', 'startsWith', 'endsWith', 'in', 'exists', 'missing'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'missing'],
  boolean: ['eq', 'neq', 'exists', 'missing'],
  list: ['eq', 'neq', 'contains', 'startsWith', 'endsWith', 'in', 'exists', 'missing'],
  ip: ['eq', 'neq', 'contains', 'startsWith', 'in', 'inCidr', 'exists', 'missing'],
  version: [
    'eq',
    'neq',
    'contains',
    'startsWith',
    'in',
    'exists',
    'missing',
    'versionEq',
    'versionGt',
    'versionGte',
    'versionLt',
    'versionLte',
  ],
};

const ruleValue = z.union([z.string().max(200), z.number(), z.boolean(), z.array(z.string().max(200)).max(100)]);

export const ruleConditionSchema = z
  .object({
    field: z.string().min(1).max(120),
    op: z.enum(RULE_OPERATORS),
    value: ruleValue.optional(),
  })
  .strict();
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

const nodeOps = { op: z.enum(['and', 'or']), not: z.boolean().optional() };
const level3 = z.object({ ...nodeOps, rules: z.array(ruleConditionSchema).max(50) }).strict();
const level2 = z.object({ ...nodeOps, rules: z.array(z.union([ruleConditionSchema, level3])).max(50) }).strict();
/** A rule: AND/OR over conditions and nested nodes (three levels deep at most). */
export const groupRuleSchema = z.object({ ...nodeOps, rules: z.array(z.union([ruleConditionSchema, level2])).max(50) }).strict();
export type GroupRule = z.infer<typeof groupRuleSchema>;

export interface RuleNode {
  op: 'and' | 'or';
  not?: boolean;
  rules: (RuleCondition | RuleNode)[];
}

/** What a rule is evaluated against: a device document (or the part of it rules can see). */
export interface GroupSubject {
  id: string;
  name?: string;
  tags?: readonly string[];
  customFields?: Readonly<Record<string, string | number | boolean>>;
  lastSeenAt?: string;
  agentVersion?: string;
  bridgeId?: string;
  inventory?: Inventory;
}

const isNode = (r: RuleCondition | RuleNode): r is RuleNode => 'rules' in r;

function fieldType(field: string): FieldType | undefined {
  if (field.startsWith('custom.') && field.length > 7) return 'string';
  if (field.startsWith('package.') && field.length > 8) return 'version';
  return RULE_FIELDS[field];
}

function ipv4ToInt(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip.trim());
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(base ?? '');
  if (a === null || b === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) === (b & mask);
}

/** Problems with a rule (unknown field, operator that does not fit the field, bad value); empty when valid. */
export function ruleProblems(rule: RuleNode, depth = 1): string[] {
  const problems: string[] = [];
  if (depth > 3) return ['rules nest at most three levels deep'];
  for (const r of rule.rules) {
    if (isNode(r)) {
      problems.push(...ruleProblems(r, depth + 1));
      continue;
    }
    const type = fieldType(r.field);
    if (!type) {
      problems.push(`unknown field ${r.field}`);
      continue;
    }
    if (!OPS_BY_TYPE[type].includes(r.op)) {
      problems.push(`operator ${r.op} does not apply to ${r.field}`);
      continue;
    }
    if (r.op === 'exists' || r.op === 'missing') continue;
    if (r.value === undefined) problems.push(`${r.field} ${r.op} needs a value`);
    else if (r.op === 'in' && !Array.isArray(r.value)) problems.push(`${r.field} in needs a list`);
    else if (['gt', 'gte', 'lt', 'lte'].includes(r.op) && typeof r.value !== 'number')
      problems.push(`${r.field} ${r.op} needs a number`);
    else if (r.op === 'inCidr' && (typeof r.value !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(r.value))) {
      problems.push(`${r.field} inCidr needs an IPv4 CIDR such as 10.0.0.0/8`);
    }
  }
  return problems;
}

type Scalar = string | number | boolean;

/** The value of a field on a subject: a scalar, a list of strings, or undefined. */
export function fieldValue(subject: GroupSubject, field: string, nowMs: number): Scalar | readonly string[] | undefined {
  const inv = subject.inventory;
  if (field.startsWith('custom.')) return subject.customFields?.[field.slice(7)];
  if (field.startsWith('package.')) {
    const name = field.slice(8);
    return inv?.packages.find((p) => p.name === name || `${p.name}:${p.arch}` === name)?.version;
  }
  switch (field) {
    case 'name':
      return subject.name;
    case 'hostname':
      return inv?.hostname;
    case 'os.name':
      return inv?.os.name;
    case 'os.id':
      return inv?.os.id;
    case 'os.version':
      return inv?.os.version;
    case 'os.kernel':
      return inv?.os.kernel;
    case 'os.arch':
      return inv?.os.arch;
    case 'cpu.model':
      return inv?.cpu.model;
    case 'cpu.cores':
      return inv?.cpu.cores;
    case 'memory.totalBytes':
      return inv?.memory.totalBytes;
    case 'disk.totalBytes':
      return inv ? inv.disks.reduce((s, d) => s + d.totalBytes, 0) : undefined;
    case 'disk.minFreeBytes':
      return inv && inv.disks.length > 0 ? Math.min(...inv.disks.map((d) => d.freeBytes)) : undefined;
    case 'network.ipv4':
      return inv?.network.flatMap((n) => n.ipv4);
    case 'network.mac':
      return inv?.network.map((n) => n.mac).filter((m) => m !== '');
    case 'uptimeSeconds':
      return inv?.uptimeSeconds;
    case 'packageManager':
      return inv?.packageManager;
    case 'adminUsers':
      return inv?.adminUsers;
    case 'sshEnabled':
      return inv?.sshEnabled;
    case 'tags':
      return subject.tags;
    case 'agentVersion':
      return subject.agentVersion;
    case 'bridgeId':
      return subject.bridgeId;
    case 'lastSeenMinutesAgo': {
      const seen = subject.lastSeenAt ? Date.parse(subject.lastSeenAt) : NaN;
      return Number.isNaN(seen) ? undefined : Math.max(0, Math.floor((nowMs - seen) / 60_000));
    }
    default:
      return undefined;
  }
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

function scalarMatches(actual: Scalar, op: RuleOperator, value: RuleCondition['value']): boolean {
  const a = lower(actual);
  const v = lower(value);
  switch (op) {
    case 'eq':
      return a === v || (typeof actual === 'number' && typeof value === 'string' && String(actual) === value);
    case 'contains':
      return typeof a === 'string' && typeof v === 'string' && a.includes(v);
    case 'startsWith':
      return typeof a === 'string' && typeof v === 'string' && a.startsWith(v);
    case 'endsWith':
      return typeof a === 'string' && typeof v === 'string' && a.endsWith(v);
    case 'in':
      return Array.isArray(value) && value.some((x) => lower(x) === a || String(actual) === x);
    case 'gt':
      return typeof actual === 'number' && typeof value === 'number' && actual > value;
    case 'gte':
      return typeof actual === 'number' && typeof value === 'number' && actual >= value;
    case 'lt':
      return typeof actual === 'number' && typeof value === 'number' && actual < value;
    case 'lte':
      return typeof actual === 'number' && typeof value === 'number' && actual <= value;
    case 'inCidr':
      return typeof actual === 'string' && typeof value === 'string' && inCidr(actual, value);
    case 'versionEq':
    case 'versionGt':
    case 'versionGte':
    case 'versionLt':
    case 'versionLte': {
      if (typeof value !== 'string') return false;
      const c = compareVersions(String(actual), value);
      return op === 'versionEq'
        ? c === 0
        : op === 'versionGt'
          ? c > 0
          : op === 'versionGte'
            ? c >= 0
            : op === 'versionLt'
              ? c < 0
              : c <= 0;
    }
    default:
      return false;
  }
}

export function conditionMatches(cond: RuleCondition, subject: GroupSubject, nowMs: number): boolean {
  const actual = fieldValue(subject, cond.field, nowMs);
  const absent = actual === undefined || (Array.isArray(actual) && actual.length === 0);
  if (cond.op === 'exists') return !absent;
  if (cond.op === 'missing') return absent;
  if (cond.op === 'neq') {
    if (absent) return true;
    return Array.isArray(actual)
      ? !actual.some((a) => scalarMatches(a, 'eq', cond.value))
      : !scalarMatches(actual as Scalar, 'eq', cond.value);
  }
  if (absent) return false;
  return Array.isArray(actual)
    ? actual.some((a) => scalarMatches(a, cond.op, cond.value))
    : scalarMatches(actual as Scalar, cond.op, cond.value);
}

export function evaluateRule(rule: RuleNode, subject: GroupSubject, nowMs: number): boolean {
  const results = rule.rules.map((r) => (isNode(r) ? evaluateRule(r, subject, nowMs) : conditionMatches(r, subject, nowMs)));
  const value = rule.op === 'and' ? results.every(Boolean) : results.some(Boolean);
  return rule.not ? !value : value;
}

/** The minimal group shape membership needs (a deviceGroups document fits). */
export interface GroupDefinition {
  id: string;
  kind: 'static' | 'dynamic';
  deviceIds?: readonly string[];
  rule?: RuleNode;
  _deleted?: boolean;
}

export const OFFLINE_DAYS_THRESHOLD = 7;

/** Groups every org has without creating them; their ids start with `builtin:`. */
export const PREDEFINED_GROUPS: readonly (GroupDefinition & { name: string; description: string })[] = [
  {
    id: 'builtin:all',
    kind: 'dynamic',
    name: 'All devices',
    description: 'Every enrolled device',
    rule: { op: 'and', rules: [] },
  },
  {
    id: 'builtin:offline-7d',
    kind: 'dynamic',
    name: 'Offline for more than 7 days',
    description: 'Not seen for more than 7 days',
    rule: { op: 'and', rules: [{ field: 'lastSeenMinutesAgo', op: 'gt', value: OFFLINE_DAYS_THRESHOLD * 24 * 60 }] },
  },
  {
    id: 'builtin:never-seen',
    kind: 'dynamic',
    name: 'Never seen',
    description: 'Registered but no agent has reported yet',
    rule: { op: 'and', rules: [{ field: 'lastSeenMinutesAgo', op: 'missing' }] },
  },
  {
    id: 'builtin:ssh-enabled',
    kind: 'dynamic',
    name: 'SSH enabled',
    description: 'An SSH server is enabled',
    rule: { op: 'and', rules: [{ field: 'sshEnabled', op: 'eq', value: true }] },
  },
];

export function isPredefinedGroupId(id: string): boolean {
  return PREDEFINED_GROUPS.some((g) => g.id === id);
}

export function isMember(group: GroupDefinition, subject: GroupSubject, nowMs: number): boolean {
  if (group._deleted) return false;
  if (group.kind === 'static') return group.deviceIds?.includes(subject.id) ?? false;
  return group.rule ? evaluateRule(group.rule, subject, nowMs) : false;
}

/** Ids of every group (the org's and the predefined ones) the subject belongs to, sorted. */
export function computeMemberships(subject: GroupSubject, groups: readonly GroupDefinition[], nowMs: number): string[] {
  return [...PREDEFINED_GROUPS, ...groups]
    .filter((g) => isMember(g, subject, nowMs))
    .map((g) => g.id)
    .sort();
}
