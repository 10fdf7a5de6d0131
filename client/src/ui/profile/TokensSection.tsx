/** Profile: API tokens — create (shown once), list, revoke. */
import { useState } from 'react';
import { listTokens, revokeToken, type ApiTokenInfo } from '../../api/accountApi.js';
import { errorText } from '../../api/apiError.js';
import { useApi } from '../../hooks/useApi.js';
import { useRemote } from '../../hooks/useRemote.js';
import { useReady } from '../appContext.js';
import { ErrorAlert, StatusMessage } from '../common/Feedback.js';
import { NewToken } from './NewToken.js';
import { TokenForm } from './TokenForm.js';
import { TokenList } from './TokenList.js';

export function TokensSection() {
  const api = useApi();
  const { me } = useReady();
  const tokens = useRemote('tokens', () => listTokens(api));
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const revoke = (t: ApiTokenInfo) => {
    setBusy(true);
    setError(null);
    revokeToken(api, t.id).then(
      () => {
        setBusy(false);
        setStatus(`Token “${t.name}” was revoked.`);
        tokens.reload();
      },
      (err: unknown) => {
        setBusy(false);
        setError(errorText(err));
      },
    );
  };

  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="intro">For scripts and integrations. A token acts as you, limited to its scopes.</p>
      {created ? (
        <NewToken name={created.name} token={created.token} onDone={() => setCreated(null)} />
      ) : (
        <TokenForm
          onCreated={(token, record) => {
            setCreated({ name: record.name, token });
            setStatus(null);
            tokens.reload();
          }}
        />
      )}
      <h3>Your tokens</h3>
      <ErrorAlert message={tokens.error ?? error} />
      {tokens.loading && !tokens.data ? (
        <p>Loading tokens…</p>
      ) : (
        <TokenList tokens={tokens.data ?? []} orgs={me?.orgs ?? []} busy={busy} onRevoke={revoke} />
      )}
      <StatusMessage text={status} />
    </section>
  );
}
