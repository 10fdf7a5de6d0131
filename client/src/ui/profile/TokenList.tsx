/** Profile: the user's API tokens with scopes, expiry, last use and revocation. */
import type { ApiTokenInfo } from '../../api/accountApi.js';
import type { OrgInfo } from '../../api/authTypes.js';
import { formatDateTime } from '../common/formatTime.js';

interface Props {
  tokens: readonly ApiTokenInfo[];
  orgs: readonly OrgInfo[];
  busy: boolean;
  onRevoke: (token: ApiTokenInfo) => void;
}

function stateOf(t: ApiTokenInfo): 'Active' | 'Revoked' | 'Expired' {
  if (t.revokedAt) return 'Revoked';
  return Date.parse(t.expiresAt) <= Date.now() ? 'Expired' : 'Active';
}

export function TokenList({ tokens, orgs, busy, onRevoke }: Props) {
  if (tokens.length === 0) return <p className="empty">No API tokens yet.</p>;
  const orgName = (id: string | null) => (id ? (orgs.find((o) => o.id === id)?.name ?? 'Another organization') : 'All');
  return (
    <table className="data-table" aria-labelledby="tokens-heading">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Scopes</th>
          <th scope="col">Organization</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col">State</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((t) => {
          const state = stateOf(t);
          return (
            <tr key={t.id} data-testid={`token-${t.id}`} data-state={state.toLowerCase()}>
              <td data-label="Name">
                {t.name} <span className="muted">…{t.lastEight}</span>
              </td>
              <td data-label="Scopes">{t.scopes.join(', ')}</td>
              <td data-label="Organization">{orgName(t.orgId)}</td>
              <td data-label="Expires">{formatDateTime(t.expiresAt)}</td>
              <td data-label="Last used">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</td>
              <td data-label="State">{state}</td>
              <td className="row-actions">
                {state === 'Active' && (
                  <button type="button" onClick={() => onRevoke(t)} disabled={busy}>
                    Revoke<span className="visually-hidden"> {t.name}</span>
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
