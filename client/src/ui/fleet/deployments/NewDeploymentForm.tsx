/** "New deployment": package and version, intent, targets, staged rollout (pilot, waves, failure threshold). */
import { useId, useState } from 'react';
import { DEPLOYMENT_INTENTS, type CatalogItem, type DeploymentIntent, type Device, type DeviceGroup } from '@fleetsync/shared';
import { useReady } from '../../appContext.js';
import { usePrincipal } from '../../farm/common/usePrincipal.js';
import { groupNames, hostnameOf } from '../deviceInfo.js';
import { createDeployment, type DeploymentValues } from './createDeployment.js';

interface Props {
  packages: readonly CatalogItem[];
  groups: readonly DeviceGroup[];
  devices: readonly Device[];
  onCreated: (id: string, name: string) => void;
  onCancel: () => void;
}

const INTENT_TEXT: Record<DeploymentIntent, string> = {
  required: 'Required (install and keep installed)',
  available: 'Available (installed on request)',
  uninstall: 'Uninstall',
};

export function NewDeploymentForm({ packages, groups, devices, onCreated, onCancel }: Props) {
  const id = useId();
  const { workspace, orgId } = useReady();
  const principal = usePrincipal();
  const first = packages[0];
  const [v, setV] = useState<DeploymentValues>({
    name: '',
    packageId: first?.id ?? '',
    packageVersion: first?.versions?.at(-1)?.version ?? '',
    intent: 'required',
    targetGroupIds: [],
    targetDeviceIds: [],
    pilotGroupId: '',
    waves: '50, 100',
    failurePercent: '20',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<DeploymentValues>) => setV((old) => ({ ...old, ...patch }));
  const pkg = packages.find((p) => p.id === v.packageId);
  const versions = [...new Set((pkg?.versions ?? []).map((x) => x.version))];
  const names = groupNames(groups);
  const toggle = (list: string[], item: string, on: boolean) =>
    on ? [...new Set([...list, item])] : list.filter((x) => x !== item);

  const submit = async () => {
    if (!orgId) return setError('Choose an organization first.');
    if (!v.packageId || !v.packageVersion) return setError('Choose a package and a version.');
    if (v.targetGroupIds.length === 0 && v.targetDeviceIds.length === 0)
      return setError('Choose at least one target group or device.');
    setBusy(true);
    const name = v.name.trim() || `${pkg?.name ?? 'Package'} ${v.packageVersion}`;
    try {
      const out = await createDeployment(workspace.store.db, principal, orgId, { ...v, name });
      if (out.ok) onCreated(out.id, name);
      else setError(out.message);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="deployment-form"
      aria-labelledby={`${id}-h`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id={`${id}-h`}>New deployment</h2>
      {error && (
        <p role="alert" className="inline-error" data-testid="deployment-error">
          {error}
        </p>
      )}
      <label htmlFor={`${id}-pkg`}>Package</label>
      <select
        id={`${id}-pkg`}
        value={v.packageId}
        onChange={(e) => {
          const p = packages.find((x) => x.id === e.target.value);
          set({ packageId: e.target.value, packageVersion: p?.versions?.at(-1)?.version ?? '' });
        }}
      >
        {packages.length === 0 && <option value="">No packages in the catalog</option>}
        {packages.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-ver`}>Version</label>
      <select id={`${id}-ver`} value={v.packageVersion} onChange={(e) => set({ packageVersion: e.target.value })}>
        {versions.map((x) => (
          <option key={x} value={x}>
            {x}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-name`}>Deployment name</label>
      <input
        id={`${id}-name`}
        value={v.name}
        placeholder={pkg ? `${pkg.name} ${v.packageVersion}` : ''}
        onChange={(e) => set({ name: e.target.value })}
      />
      <fieldset>
        <legend>Type</legend>
        {DEPLOYMENT_INTENTS.map((intent) => (
          <label key={intent} className="inline-check">
            <input type="radio" name={`${id}-intent`} checked={v.intent === intent} onChange={() => set({ intent })} />{' '}
            {INTENT_TEXT[intent]}
          </label>
        ))}
      </fieldset>
      <fieldset data-testid="target-groups">
        <legend>Target groups</legend>
        {[...names].map(([gid, gname]) => (
          <label key={gid} className="inline-check">
            <input
              type="checkbox"
              checked={v.targetGroupIds.includes(gid)}
              onChange={(e) => set({ targetGroupIds: toggle(v.targetGroupIds, gid, e.target.checked) })}
            />{' '}
            {gname}
          </label>
        ))}
      </fieldset>
      <details>
        <summary>Target individual devices ({v.targetDeviceIds.length} chosen)</summary>
        <fieldset>
          <legend>Target devices</legend>
          {devices.map((d) => (
            <label key={d.id} className="inline-check">
              <input
                type="checkbox"
                checked={v.targetDeviceIds.includes(d.id)}
                onChange={(e) => set({ targetDeviceIds: toggle(v.targetDeviceIds, d.id, e.target.checked) })}
              />{' '}
              {hostnameOf(d)}
            </label>
          ))}
        </fieldset>
      </details>
      <fieldset>
        <legend>Staged rollout</legend>
        <label htmlFor={`${id}-pilot`}>Pilot group</label>
        <select id={`${id}-pilot`} value={v.pilotGroupId} onChange={(e) => set({ pilotGroupId: e.target.value })}>
          <option value="">No pilot wave</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-waves`}>Waves (cumulative percentages)</label>
        <input
          id={`${id}-waves`}
          value={v.waves}
          aria-describedby={`${id}-waves-hint`}
          onChange={(e) => set({ waves: e.target.value })}
        />
        <p id={`${id}-waves-hint`} className="hint">
          Ascending, ending at 100, e.g. “10, 50, 100”.
        </p>
        <label htmlFor={`${id}-fail`}>Failure threshold (%)</label>
        <input
          id={`${id}-fail`}
          type="number"
          min={1}
          max={100}
          value={v.failurePercent}
          aria-describedby={`${id}-fail-hint`}
          onChange={(e) => set({ failurePercent: e.target.value })}
        />
        <p id={`${id}-fail-hint`} className="hint">
          A wave whose failures reach this share pauses the rollout.
        </p>
      </fieldset>
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          Create deployment
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
