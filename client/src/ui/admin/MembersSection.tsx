/** Admin (#/admin/members): an org's members, their roles, removal (confirmed) and invitations. */
import { useRef, useState } from 'react';
import { ORG_ROLES, type OrgRole } from '@fleetsync/shared';
import { errorText } from '../../api/apiError.js';
import { listMembers, removeMember, setMemberRole, type Member } from '../../api/membersApi.js';
import { useApi } from '../../hooks/useApi.js';
import { useRemote } from '../../hooks/useRemote.js';
import { useController, useReady } from '../appContext.js';
import { ConfirmDialog } from '../common/ConfirmDialog.js';
import { ErrorAlert, StatusMessage } from '../common/Feedback.js';
import { InviteForm } from './InviteForm.js';

export function MembersSection({ orgId, orgName }: { orgId: string; orgName: string }) {
  const api = useApi();
  const controller = useController();
  const { session } = useReady();
  const members = useRemote(`members:${orgId}`, () => listMembers(api, orgId));
  const [removing, setRemoving] = useState<Member | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const changeRole = (m: Member, role: OrgRole) => {
    setBusy(true);
    setError(null);
    setMemberRole(api, orgId, m, role).then(
      () => {
        setBusy(false);
        setStatus(`${m.email} is now ${role}.`);
        members.reload();
        if (m.id === session.userId) void controller.refreshMe();
      },
      (err: unknown) => {
        setBusy(false);
        setError(errorText(err));
        members.reload();
      },
    );
  };

  const list = members.data ?? [];
  return (
    <>
      <section className="panel" aria-labelledby="members-heading">
        <h2 id="members-heading" ref={headingRef} tabIndex={-1}>
          Members of {orgName}
        </h2>
        <ErrorAlert message={members.error ?? error} />
        {members.loading && !members.data ? (
          <p>Loading members…</p>
        ) : (
          <table className="data-table" aria-labelledby="members-heading">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <tr key={m.id} data-testid={`member-${m.id}`}>
                  <td data-label="Email">
                    {m.email} {m.id === session.userId && <span className="badge badge-ok">You</span>}
                  </td>
                  <td data-label="Name">{m.displayName || '—'}</td>
                  <td data-label="Role">
                    <label className="visually-hidden" htmlFor={`role-${m.id}`}>
                      Role of {m.email}
                    </label>
                    <select
                      id={`role-${m.id}`}
                      value={m.role}
                      disabled={busy}
                      onChange={(e) => changeRole(m, ORG_ROLES.find((r) => r === e.target.value) ?? m.role)}
                    >
                      {ORG_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="row-actions">
                    <button type="button" onClick={() => setRemoving(m)} disabled={busy}>
                      Remove<span className="visually-hidden"> {m.email}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <StatusMessage text={status} />
      </section>
      <InviteForm orgId={orgId} onInvited={members.reload} />
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.email}?`}
          confirmLabel="Remove"
          focusAfterConfirm={headingRef}
          onConfirm={() => removeMember(api, orgId, removing.id)}
          onClose={(confirmed) => {
            if (confirmed) {
              setStatus(`${removing.email} was removed from ${orgName}.`);
              members.reload();
              if (removing.id === session.userId) void controller.refreshMe();
            }
            setRemoving(null);
          }}
        >
          <p>
            They lose access to {orgName} at once: its printers, jobs and spools disappear from their devices, and their API
            tokens for this organization stop working.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
