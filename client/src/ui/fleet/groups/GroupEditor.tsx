/** Create or edit one group: name, kind, and the rule (dynamic) or the members (static). */
import { useId, useMemo, useState } from 'react';
import type { Device, DeviceGroup } from '@fleetsync/shared';
import { useReady } from '../../appContext.js';
import { usePrincipal } from '../../farm/common/usePrincipal.js';
import { hostnameOf } from '../deviceInfo.js';
import { MatchPreview } from './MatchPreview.js';
import { RuleBuilder } from './RuleBuilder.js';
import { draftToRule, newGroup, ruleToDraft, type DraftGroup } from './ruleDraft.js';
import { saveGroup } from './saveGroup.js';

interface Props {
  group: DeviceGroup | undefined;
  devices: readonly Device[];
  onDone: (message: string | null) => void;
}

export function GroupEditor({ group, devices, onDone }: Props) {
  const id = useId();
  const { workspace, orgId } = useReady();
  const principal = usePrincipal();
  const [name, setName] = useState(group?.name ?? '');
  const [description, setDescription] = useState(group?.description ?? '');
  const [kind, setKind] = useState<'static' | 'dynamic'>(group?.kind ?? 'dynamic');
  const [draft, setDraft] = useState<DraftGroup>(() => (group?.rule ? ruleToDraft(group.rule) : newGroup()));
  const [members, setMembers] = useState<ReadonlySet<string>>(new Set(group?.deviceIds ?? []));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rule = useMemo(() => draftToRule(draft), [draft]);

  const submit = async () => {
    const org = group?.orgId ?? orgId;
    if (!org) return setError('Choose an organization first.');
    if (!name.trim()) return setError('The group needs a name.');
    setBusy(true);
    try {
      const out = await saveGroup(
        workspace.store.db,
        principal,
        org,
        { kind, name, description, rule, deviceIds: [...members] },
        group,
      );
      if (out.ok) onDone(`Group "${name.trim()}" saved.`);
      else setError(out.message);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="group-editor"
      aria-labelledby={`${id}-h`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id={`${id}-h`}>{group ? `Edit group ${group.name}` : 'New group'}</h2>
      {error && (
        <p role="alert" className="inline-error" data-testid="group-error">
          {error}
        </p>
      )}
      <label htmlFor={`${id}-name`}>Group name</label>
      <input id={`${id}-name`} value={name} required onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`${id}-desc`}>Description</label>
      <input id={`${id}-desc`} value={description} onChange={(e) => setDescription(e.target.value)} />
      <fieldset disabled={!!group}>
        <legend>Kind</legend>
        <label className="inline-check">
          <input type="radio" name={`${id}-kind`} checked={kind === 'dynamic'} onChange={() => setKind('dynamic')} /> Dynamic (a
          rule)
        </label>
        <label className="inline-check">
          <input type="radio" name={`${id}-kind`} checked={kind === 'static'} onChange={() => setKind('static')} /> Static (chosen
          devices)
        </label>
      </fieldset>
      {kind === 'dynamic' ? (
        <div className="group-rule">
          <RuleBuilder rule={draft} onChange={setDraft} />
          <MatchPreview rule={rule} devices={devices} />
        </div>
      ) : (
        <fieldset className="group-members">
          <legend>Members</legend>
          {devices.length === 0 && <p>No devices yet.</p>}
          {devices.map((d) => (
            <label key={d.id} className="inline-check">
              <input
                type="checkbox"
                checked={members.has(d.id)}
                onChange={(e) =>
                  setMembers((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(d.id);
                    else next.delete(d.id);
                    return next;
                  })
                }
              />{' '}
              {hostnameOf(d)}
            </label>
          ))}
        </fieldset>
      )}
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          Save group
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
