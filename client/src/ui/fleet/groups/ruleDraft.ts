/**
 * The rule builder's editable form of a group rule (every value a string, keys for React) and
 * the conversion to and from the shared rule JSON. Which operators fit a field is asked of the
 * shared evaluator (`ruleProblems`), so the builder never offers what the server would refuse.
 */
import {
  RULE_FIELDS,
  RULE_OPERATORS,
  ruleProblems,
  type RuleCondition,
  type RuleNode,
  type RuleOperator,
} from '../sharedFleet.js';

export interface DraftCondition {
  kind: 'condition';
  key: string;
  /** A RULE_FIELDS key, or `custom.` / `package.` with `subKey`. */
  field: string;
  subKey: string;
  op: RuleOperator;
  value: string;
}
export interface DraftGroup {
  kind: 'group';
  key: string;
  op: 'and' | 'or';
  not: boolean;
  items: DraftItem[];
}
export type DraftItem = DraftCondition | DraftGroup;

let seq = 0;
export const newKey = () => `r${++seq}`;

export const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  hostname: 'Hostname',
  'os.name': 'OS name',
  'os.id': 'OS id',
  'os.version': 'OS version',
  'os.kernel': 'Kernel',
  'os.arch': 'Architecture',
  'cpu.model': 'CPU model',
  'cpu.cores': 'CPU cores',
  'memory.totalBytes': 'Memory (bytes)',
  'disk.totalBytes': 'Disk size (bytes)',
  'disk.minFreeBytes': 'Smallest free disk space (bytes)',
  'network.ipv4': 'IPv4 address',
  'network.mac': 'MAC address',
  uptimeSeconds: 'Uptime (seconds)',
  packageManager: 'Package manager',
  adminUsers: 'Administrators',
  sshEnabled: 'SSH enabled',
  tags: 'Tags',
  agentVersion: 'Agent version',
  bridgeId: 'Bridge',
  lastSeenMinutesAgo: 'Last seen (minutes ago)',
  'custom.': 'Custom field…',
  'package.': 'Installed package version…',
};
export const FIELD_CHOICES = [...Object.keys(RULE_FIELDS), 'custom.', 'package.'];

export const OP_LABELS: Record<RuleOperator, string> = {
  eq: 'equals',
  neq: 'does not equal',
  contains: 'contains',
  startsWith: 'starts with',
  endsWith: 'ends with',
  in: 'is one of (comma-separated)',
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  exists: 'is set',
  missing: 'is not set',
  inCidr: 'in network (CIDR)',
  versionEq: 'version equals',
  versionGt: 'version newer than',
  versionGte: 'version at least',
  versionLt: 'version older than',
  versionLte: 'version at most',
};

const fullField = (c: Pick<DraftCondition, 'field' | 'subKey'>) =>
  c.field.endsWith('.') ? `${c.field}${c.subKey.trim() || 'x'}` : c.field;

const NUMERIC_OPS = new Set<RuleOperator>(['gt', 'gte', 'lt', 'lte']);
export const takesValue = (op: RuleOperator) => op !== 'exists' && op !== 'missing';
export const isNumberField = (field: string) => RULE_FIELDS[field] === 'number';
export const isBooleanField = (field: string) => RULE_FIELDS[field] === 'boolean';

/** The operators the shared rules accept for a field. */
export function operatorsFor(field: string): RuleOperator[] {
  const f = fullField({ field, subKey: 'x' });
  return RULE_OPERATORS.filter((op) => {
    const value = op === 'in' ? ['x'] : NUMERIC_OPS.has(op) ? 1 : op === 'inCidr' ? '10.0.0.0/8' : 'x';
    return !ruleProblems({ op: 'and', rules: [{ field: f, op, value }] }).some(
      (p) => p.includes('unknown field') || p.includes('does not apply'),
    );
  });
}

function valueOf(c: DraftCondition): RuleCondition['value'] {
  const raw = c.value.trim();
  if (!takesValue(c.op)) return undefined;
  if (c.op === 'in')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (isBooleanField(c.field)) return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (NUMERIC_OPS.has(c.op) || (isNumberField(c.field) && raw !== '' && !Number.isNaN(Number(raw)))) {
    return raw === '' || Number.isNaN(Number(raw)) ? raw : Number(raw);
  }
  return raw;
}

export function draftToRule(g: DraftGroup): RuleNode {
  const rules = g.items.map((i): RuleCondition | RuleNode => {
    if (i.kind === 'group') return draftToRule(i);
    const value = valueOf(i);
    return value === undefined ? { field: fullField(i), op: i.op } : { field: fullField(i), op: i.op, value };
  });
  return g.not ? { op: g.op, not: true, rules } : { op: g.op, rules };
}

export function ruleToDraft(rule: RuleNode): DraftGroup {
  return {
    kind: 'group',
    key: newKey(),
    op: rule.op,
    not: rule.not ?? false,
    items: rule.rules.map((r): DraftItem => {
      if ('rules' in r) return ruleToDraft(r);
      const open = ['custom.', 'package.'].find((p) => r.field.startsWith(p));
      const v = r.value;
      return {
        kind: 'condition',
        key: newKey(),
        field: open ?? r.field,
        subKey: open ? r.field.slice(open.length) : '',
        op: r.op,
        value: v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v),
      };
    }),
  };
}

export const newCondition = (): DraftCondition => ({
  kind: 'condition',
  key: newKey(),
  field: 'hostname',
  subKey: '',
  op: 'contains',
  value: '',
});
export const newGroup = (): DraftGroup => ({ kind: 'group', key: newKey(), op: 'and', not: false, items: [newCondition()] });
