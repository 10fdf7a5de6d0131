/** Profile: create an API token (name, scopes, expiry, optional organization). */
import { useMemo, useState, type FormEvent } from 'react';
import { can, type TokenScope } from '@fleetsync/shared';
import { createToken, type ApiTokenInfo } from '../../api/accountApi.js';
import { errorText } from '../../api/apiError.js';
import { useApi } from '../../hooks/useApi.js';
import { usePrincipal } from '../../hooks/usePrincipal.js';
import { useReady } from '../appContext.js';
import { ErrorAlert } from '../common/Feedback.js';
import { SelectField, TextField } from '../form/fields.js';
import { MAX_TOKEN_DAYS, offeredScopes, SCOPE_LABELS, tokenFormProblems, type TokenFormErrors } from './tokenRules.js';

export function TokenForm({ onCreated }: { onCreated: (token: string, record: ApiTokenInfo) => void }) {
  const api = useApi();
  const { me } = useReady();
  const principal = usePrincipal();
  const orgs = useMemo(() => me?.orgs ?? [], [me]);
  const adminOrgIds = useMemo(
    () => orgs.filter((o) => can(principal, 'org.manage', { orgId: o.id })).map((o) => o.id),
    [orgs, principal],
  );
  const scopes = offeredScopes(adminOrgIds.length > 0);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<TokenScope[]>([]);
  const [days, setDays] = useState('90');
  const [orgId, setOrgId] = useState('');
  const [bridgeId, setBridgeId] = useState('');
  const [errors, setErrors] = useState<TokenFormErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (scope: TokenScope, on: boolean) => setChosen((cur) => (on ? [...cur, scope] : cur.filter((s) => s !== scope)));

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    setError(null);
    const found = tokenFormProblems({ name, scopes: chosen, days, orgId, bridgeId }, adminOrgIds);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => {
        const invalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
        // The scopes fieldset cannot take focus: its first checkbox does.
        (invalid?.matches('fieldset') ? invalid.querySelector<HTMLElement>('input') : invalid)?.focus();
      });
      return;
    }
    setBusy(true);
    const ordered = scopes.filter((s) => chosen.includes(s));
    createToken(api, {
      name: name.trim(),
      scopes: ordered,
      expiresInDays: Number(days),
      ...(orgId ? { orgId } : {}),
      ...(ordered.includes('bridge') ? { bridgeId: bridgeId.trim() } : {}),
    }).then(
      ({ token, record }) => {
        setBusy(false);
        setName('');
        setChosen([]);
        setBridgeId('');
        onCreated(token, record);
      },
      (err: unknown) => {
        setBusy(false);
        setError(errorText(err));
      },
    );
  };

  const orgOptions = [{ value: '', label: 'All my organizations' }, ...orgs.map((o) => ({ value: o.id, label: o.name }))];
  return (
    <form className="stack" onSubmit={submit} noValidate aria-labelledby="new-token-heading">
      <h3 id="new-token-heading">New token</h3>
      <div className="form-grid">
        <TextField
          label="Name"
          value={name}
          onChange={setName}
          error={errors.name}
          hint="What uses it, e.g. “CI deploy”."
          required
        />
        <TextField
          label="Expires in (days)"
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_TOKEN_DAYS}
          step={1}
          value={days}
          onChange={setDays}
          error={errors.days}
          required
        />
        <SelectField label="Limit to organization" value={orgId} onChange={setOrgId} options={orgOptions} error={errors.orgId} />
        {chosen.includes('bridge') && (
          <TextField label="Bridge id" value={bridgeId} onChange={setBridgeId} error={errors.bridgeId} required />
        )}
      </div>
      <fieldset
        className="scopes"
        aria-invalid={errors.scopes ? true : undefined}
        aria-describedby={errors.scopes ? 'scopes-error' : undefined}
      >
        <legend>Scopes</legend>
        <p className="field-hint">A token never has more rights than you have.</p>
        <div className="scope-grid">
          {scopes.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" value={s} checked={chosen.includes(s)} onChange={(e) => toggle(s, e.target.checked)} />
              {SCOPE_LABELS[s]} <code>{s}</code>
            </label>
          ))}
        </div>
        {errors.scopes && (
          <p id="scopes-error" className="field-error">
            {errors.scopes}
          </p>
        )}
      </fieldset>
      <ErrorAlert message={error} />
      <div>
        <button type="submit" className="primary" disabled={busy}>
          Create token
        </button>
      </div>
    </form>
  );
}
