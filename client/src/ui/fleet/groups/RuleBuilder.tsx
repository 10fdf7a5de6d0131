/**
 * The visual rule builder: conditions (field, operator, value) inside AND/OR groups, nested
 * two levels below the top (the shared rules allow three levels). Every control is a native,
 * labelled form control, so the builder works with a keyboard and a screen reader.
 */
import { useId } from 'react';
import {
  FIELD_CHOICES,
  FIELD_LABELS,
  isBooleanField,
  newCondition,
  newGroup,
  OP_LABELS,
  operatorsFor,
  takesValue,
  type DraftCondition,
  type DraftGroup,
  type DraftItem,
} from './ruleDraft.js';

interface GroupProps {
  group: DraftGroup;
  depth: number;
  /** Position for labels, e.g. "Rule group 1.2". */
  path: string;
  onChange: (g: DraftGroup) => void;
  onRemove?: () => void;
}

export function RuleBuilder({ rule, onChange }: { rule: DraftGroup; onChange: (g: DraftGroup) => void }) {
  return (
    <div className="rule-builder" data-testid="rule-builder">
      <RuleGroup group={rule} depth={1} path="1" onChange={onChange} />
    </div>
  );
}

function RuleGroup({ group, depth, path, onChange, onRemove }: GroupProps) {
  const id = useId();
  const set = (i: number, item: DraftItem) => onChange({ ...group, items: group.items.map((x, j) => (j === i ? item : x)) });
  const remove = (i: number) => onChange({ ...group, items: group.items.filter((_, j) => j !== i) });
  const label = depth === 1 ? 'Rule' : `Rule group ${path}`;
  return (
    <fieldset className="rule-group" data-testid={`rule-group-${path}`}>
      <legend>{label}</legend>
      <div className="rule-group-head">
        <label htmlFor={`${id}-op`}>Combine conditions</label>
        <select id={`${id}-op`} value={group.op} onChange={(e) => onChange({ ...group, op: e.target.value as 'and' | 'or' })}>
          <option value="and">All conditions (AND)</option>
          <option value="or">Any condition (OR)</option>
        </select>
        <label className="inline-check">
          <input type="checkbox" checked={group.not} onChange={(e) => onChange({ ...group, not: e.target.checked })} /> Negate
          (NOT)
        </label>
      </div>
      {group.items.length === 0 && (
        <p className="muted">{group.op === 'and' ? 'No conditions: matches every device.' : 'No conditions: matches nothing.'}</p>
      )}
      <ol className="rule-items">
        {group.items.map((item, i) => (
          <li key={item.key}>
            {item.kind === 'group' ? (
              <RuleGroup
                group={item}
                depth={depth + 1}
                path={`${path}.${i + 1}`}
                onChange={(g) => set(i, g)}
                onRemove={() => remove(i)}
              />
            ) : (
              <ConditionRow
                cond={item}
                label={`Condition ${path}.${i + 1}`}
                onChange={(c) => set(i, c)}
                onRemove={() => remove(i)}
              />
            )}
          </li>
        ))}
      </ol>
      <div className="rule-actions">
        <button type="button" onClick={() => onChange({ ...group, items: [...group.items, newCondition()] })}>
          Add condition{depth > 1 ? ` to group ${path}` : ''}
        </button>
        {depth < 3 && (
          <button type="button" onClick={() => onChange({ ...group, items: [...group.items, newGroup()] })}>
            Add nested group{depth > 1 ? ` to group ${path}` : ''}
          </button>
        )}
        {onRemove && (
          <button type="button" className="danger" onClick={onRemove}>
            Remove group {path}
          </button>
        )}
      </div>
    </fieldset>
  );
}

function ConditionRow({
  cond,
  label,
  onChange,
  onRemove,
}: {
  cond: DraftCondition;
  label: string;
  onChange: (c: DraftCondition) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const ops = operatorsFor(cond.field);
  const setField = (field: string) => {
    const next = operatorsFor(field);
    onChange({
      ...cond,
      field,
      op: next.includes(cond.op) ? cond.op : (next[0] ?? 'eq'),
      value: isBooleanField(field) ? 'true' : cond.value,
    });
  };
  return (
    <div className="rule-condition" role="group" aria-label={label} data-testid="rule-condition">
      <label htmlFor={`${id}-f`}>Field</label>
      <select id={`${id}-f`} value={cond.field} onChange={(e) => setField(e.target.value)}>
        {FIELD_CHOICES.map((f) => (
          <option key={f} value={f}>
            {FIELD_LABELS[f] ?? f}
          </option>
        ))}
      </select>
      {cond.field.endsWith('.') && (
        <>
          <label htmlFor={`${id}-k`}>{cond.field === 'custom.' ? 'Custom field name' : 'Package name'}</label>
          <input id={`${id}-k`} value={cond.subKey} required onChange={(e) => onChange({ ...cond, subKey: e.target.value })} />
        </>
      )}
      <label htmlFor={`${id}-o`}>Operator</label>
      <select id={`${id}-o`} value={cond.op} onChange={(e) => onChange({ ...cond, op: e.target.value as DraftCondition['op'] })}>
        {ops.map((op) => (
          <option key={op} value={op}>
            {OP_LABELS[op]}
          </option>
        ))}
      </select>
      {takesValue(cond.op) &&
        (isBooleanField(cond.field) ? (
          <>
            <label htmlFor={`${id}-v`}>Value</label>
            <select id={`${id}-v`} value={cond.value} onChange={(e) => onChange({ ...cond, value: e.target.value })}>
              <option value="true">Yes</option>
              <option value="false">No</option>
            </select>
          </>
        ) : (
          <>
            <label htmlFor={`${id}-v`}>Value</label>
            <input id={`${id}-v`} value={cond.value} onChange={(e) => onChange({ ...cond, value: e.target.value })} />
          </>
        ))}
      <button type="button" className="danger" onClick={onRemove} aria-label={`Remove ${label.toLowerCase()}`}>
        Remove
      </button>
    </div>
  );
}
