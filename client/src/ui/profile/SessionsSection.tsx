/** Profile: where the user is signed in, with sign-out per session and "everywhere else". */
import { useState } from 'react';
import { listSessions, revokeOtherSessions, revokeSession, type SessionInfo } from '../../api/accountApi.js';
import { errorText } from '../../api/apiError.js';
import { useApi } from '../../hooks/useApi.js';
import { useRemote } from '../../hooks/useRemote.js';
import { ErrorAlert, StatusMessage } from '../common/Feedback.js';
import { formatDateTime } from '../common/formatTime.js';

export function SessionsSection() {
  const api = useApi();
  const sessions = useRemote('sessions', () => listSessions(api));
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = (task: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    task().then(
      (done) => {
        setStatus(done);
        setBusy(false);
        sessions.reload();
      },
      (err: unknown) => {
        setError(errorText(err));
        setBusy(false);
      },
    );
  };
  const signOutOne = (s: SessionInfo) =>
    act(async () => {
      await revokeSession(api, s.id);
      return `${s.device} was signed out.`;
    });
  const signOutOthers = () =>
    act(async () => {
      const n = await revokeOtherSessions(api);
      return n === 1 ? '1 other session was signed out.' : `${n} other sessions were signed out.`;
    });

  const list = sessions.data ?? [];
  const others = list.filter((s) => !s.current);
  return (
    <section className="panel" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Active sessions</h2>
      <ErrorAlert message={sessions.error ?? error} />
      {sessions.loading && !sessions.data ? (
        <p>Loading sessions…</p>
      ) : (
        <table className="data-table" aria-labelledby="sessions-heading">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} data-testid={`session-${s.id}`}>
                <td data-label="Device">
                  {s.device} {s.current && <span className="badge badge-ok">This device</span>}
                </td>
                <td data-label="Address">{s.ip ?? '—'}</td>
                <td data-label="Signed in">{formatDateTime(s.createdAt)}</td>
                <td data-label="Last seen">{formatDateTime(s.lastSeenAt)}</td>
                <td className="row-actions">
                  {!s.current && (
                    <button type="button" onClick={() => signOutOne(s)} disabled={busy}>
                      Sign out
                      <span className="visually-hidden">
                        {' '}
                        {s.device} (last seen {formatDateTime(s.lastSeenAt)})
                      </span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {others.length > 0 && (
        <p>
          <button type="button" onClick={signOutOthers} disabled={busy}>
            Sign out everywhere else
          </button>
        </p>
      )}
      <StatusMessage text={status} />
    </section>
  );
}
