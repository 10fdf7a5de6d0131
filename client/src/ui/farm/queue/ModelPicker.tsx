/** Model, revision and print profile for a new job, from the model library (when the server has one). */
import { useReady } from '../../appContext.js';
import { SelectField } from '../../form/fields.js';
import { withOrg } from '../api/farmApi.js';
import { parseModels, parseProfiles, parseRevisions } from '../api/modelTypes.js';
import { useFarmQuery } from '../api/useFarmQuery.js';
import { formatWhen } from '../common/format.js';

export interface Picked {
  modelId: string;
  revisionId: string;
  profileId: string;
}

export const NOTHING_PICKED: Picked = { modelId: '', revisionId: '', profileId: '' };

export function useModelChoice(picked: Picked) {
  const { orgId } = useReady();
  const models = useFarmQuery(withOrg('/api/models', orgId), parseModels);
  const profiles = useFarmQuery(withOrg('/api/profiles', orgId), parseProfiles);
  const revisions = useFarmQuery(
    picked.modelId ? `/api/models/${encodeURIComponent(picked.modelId)}/revisions` : null,
    parseRevisions,
  );
  const modelList = models.state.kind === 'ok' ? models.state.data : [];
  const revisionList = revisions.state.kind === 'ok' ? revisions.state.data : [];
  const profileList = profiles.state.kind === 'ok' ? profiles.state.data : [];
  return {
    models,
    revisions,
    modelList,
    revisionList,
    profileList,
    model: modelList.find((m) => m.id === picked.modelId),
    // The newest revision unless another one was picked.
    revision: picked.revisionId ? revisionList.find((r) => r.id === picked.revisionId) : revisionList[0],
    profile: profileList.find((p) => p.id === picked.profileId),
  };
}

export type ModelChoice = ReturnType<typeof useModelChoice>;

interface Props {
  value: Picked;
  choice: ModelChoice;
  onChange: (next: Picked) => void;
}

function libraryHint(kind: ModelChoice['models']['state']['kind'], message?: string): string | undefined {
  if (kind === 'missing') return 'Not available: the model library is not on this server yet. Name the job below.';
  if (kind === 'offline') return 'Offline: the model library needs a connection. You can still queue a job by name.';
  if (kind === 'error') return `The model library could not be loaded: ${message ?? ''}`;
  return undefined;
}

export function ModelPicker({ value, choice: c, onChange }: Props) {
  const state = c.models.state;
  return (
    <>
      <SelectField
        label="Model"
        value={value.modelId}
        hint={libraryHint(state.kind, state.kind === 'error' ? state.message : undefined)}
        onChange={(id) => onChange({ ...value, modelId: id, revisionId: '' })}
        options={[
          { value: '', label: state.kind === 'loading' ? 'Loading models…' : 'No model' },
          ...c.modelList.map((m) => ({ value: m.id, label: m.name })),
        ]}
      />
      {value.modelId && (
        <SelectField
          label="Revision"
          value={c.revision?.id ?? ''}
          onChange={(id) => onChange({ ...value, revisionId: id })}
          options={
            c.revisionList.length === 0
              ? [{ value: '', label: c.revisions.state.kind === 'loading' ? 'Loading revisions…' : 'No revision uploaded' }]
              : c.revisionList.map((r) => ({
                  value: r.id,
                  label: `Revision ${r.number} – ${r.fileName}${r.createdAt ? ` (${formatWhen(r.createdAt)})` : ''}`,
                }))
          }
        />
      )}
      {c.profileList.length > 0 && (
        <SelectField
          label="Print profile"
          value={value.profileId}
          onChange={(id) => onChange({ ...value, profileId: id })}
          options={[
            { value: '', label: 'No profile' },
            ...c.profileList.map((p) => ({
              value: p.id,
              label: [p.name, p.material, p.nozzleDiameterMm ? `${p.nozzleDiameterMm} mm` : ''].filter(Boolean).join(' · '),
            })),
          ]}
        />
      )}
    </>
  );
}
