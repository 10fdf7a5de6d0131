/** Admin: invite someone by email with a role; shows the link to send them. */
import { useState, type FormEvent } from 'react';
import { ORG_ROLES, type OrgRole } from '@fleetsync/shared';
import { errorText } from '../../api/apiError.js';
import { invite, type Invitation } from '../../api/membersApi.js';
import { useApi } from '../../hooks/useApi.js';
import { CopyButton } from '../common/CopyButton.js';
import { ErrorAlert } from '../common/Feedback.js';
import { formatDateTime } from '../common/formatTime.js';
import { optionsOf, SelectField, TextField } from '../form/fields.js';

const ROLE_OPTIONS = optionsOf(ORG_ROLES);

export function InviteForm({ orgId, onInvited }: { orgId: string; onInvited: () => void }) {
  const api = useApi();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<OrgRole>('operator');
  const [sent, setSent] = useState<Invitation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) {
      setError('Enter the email address to invite.');
      return;
    }
    setBusy(true);
    invite(api, orgId, email, role).then(
      (inv) => {
        setBusy(false);
        setSent(inv);
        setEmail('');
        onInvited();
      },
      (err: unknown) => {
        setBusy(false);
        setError(errorText(err));
      },
    );
  };

  const link = sent ? new URL(sent.link, globalThis.location.origin).href : '';
  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <form className="inline-form" onSubmit={submit} noValidate aria-labelledby="invite-heading">
        <TextField label="Email" type="email" autoComplete="off" value={email} onChange={setEmail} required />
        <SelectField
          label="Role"
          value={role}
          onChange={(v) => setRole(ORG_ROLES.find((r) => r === v) ?? 'operator')}
          options={ROLE_OPTIONS}
        />
        <div>
          <button type="submit" className="primary" disabled={busy}>
            Invite
          </button>
        </div>
      </form>
      <ErrorAlert message={error} />
      <div role="status" aria-live="polite">
        {sent && (
          <div className="new-secret stack">
            <p>
              Invitation for <strong>{sent.email}</strong> as {sent.role}, valid until {formatDateTime(sent.expiresAt)}. Send them
              this link (it is shown once):
            </p>
            <p className="secret-line">
              <code data-testid="invite-link">{link}</code> <CopyButton text={link} what="invitation link" />
            </p>
          </div>
        )}
      </div>
    </section>
  );
}
