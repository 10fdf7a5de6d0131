/** Admin: require two-factor authentication for the instance or one org (saved on change). */
import { useState } from 'react';
import { fetchRequireMfa, saveRequireMfa } from '../../api/adminApi.js';
import { errorText } from '../../api/apiError.js';
import { useApi } from '../../hooks/useApi.js';
import { useRemote } from '../../hooks/useRemote.js';
import { ErrorAlert, StatusMessage } from '../common/Feedback.js';
import { CheckboxField } from '../form/fields.js';

export function RequireMfaSection({ orgId }: { orgId: string | null }) {
  const api = useApi();
  const remote = useRemote(`require-mfa:${orgId ?? 'instance'}`, () => fetchRequireMfa(api, orgId));
  const [override, setOverride] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const enabled = override ?? remote.data ?? false;

  const change = (next: boolean) => {
    const before = enabled;
    setOverride(next);
    setBusy(true);
    setError(null);
    saveRequireMfa(api, orgId, next).then(
      () => {
        setBusy(false);
        setStatus(
          next
            ? 'Saved: people without two-factor authentication must set it up at their next sign-in.'
            : 'Saved: two-factor authentication is optional.',
        );
      },
      (err: unknown) => {
        setBusy(false);
        setOverride(before);
        setError(errorText(err));
      },
    );
  };

  return (
    <section className="panel" aria-labelledby="require-mfa-heading">
      <h2 id="require-mfa-heading">Two-factor authentication</h2>
      <ErrorAlert message={remote.error ?? error} />
      <CheckboxField
        label="Require two-factor authentication"
        hint={orgId ? 'For every member of this organization.' : 'For every user of this instance.'}
        checked={enabled}
        onChange={change}
        disabled={busy || remote.loading}
      />
      <StatusMessage text={status} />
    </section>
  );
}
