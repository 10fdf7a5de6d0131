/** Admin: the IP allowlist of the instance or one org, checked line by line before saving. */
import { useId, useState, type FormEvent } from 'react';
import { fetchAllowlist, saveAllowlist, type Allowlist, type AllowlistMode } from '../../api/adminApi.js';
import { errorText } from '../../api/apiError.js';
import { useApi } from '../../hooks/useApi.js';
import { useRemote } from '../../hooks/useRemote.js';
import { ErrorAlert, StatusMessage } from '../common/Feedback.js';
import { CheckboxField, SelectField } from '../form/fields.js';
import { cidrLines, cidrProblems, type CidrLineProblem } from './cidr.js';

const MODE_OPTIONS: { value: AllowlistMode; label: string }[] = [
  { value: 'all', label: 'UI and API' },
  { value: 'api', label: 'API tokens only' },
];

function AllowlistForm({ orgId, initial, yourIp }: { orgId: string | null; initial: Allowlist; yourIp: string }) {
  const api = useApi();
  const id = useId();
  const [text, setText] = useState(initial.cidrs.join('\n'));
  const [mode, setMode] = useState<AllowlistMode>(initial.mode);
  const [loopback, setLoopback] = useState(initial.loopbackBypass);
  const [problems, setProblems] = useState<CidrLineProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    setStatus(null);
    const found = cidrProblems(text);
    setProblems(found);
    if (found.length > 0) {
      document.getElementById(id)?.focus();
      return;
    }
    const cidrs = cidrLines(text);
    setBusy(true);
    saveAllowlist(api, orgId, { cidrs, mode, loopbackBypass: loopback }).then(
      () => {
        setBusy(false);
        setStatus(
          cidrs.length === 0
            ? 'Saved: every address is allowed.'
            : `Saved: ${cidrs.length} allowed ${cidrs.length === 1 ? 'range' : 'ranges'}.`,
        );
      },
      (err: unknown) => {
        setBusy(false);
        setError(errorText(err));
      },
    );
  };

  const describedBy = [`${id}-hint`, problems.length ? `${id}-problems` : ''].filter(Boolean).join(' ');
  return (
    <form className="stack" onSubmit={submit} noValidate aria-labelledby="allowlist-heading">
      <div className="field">
        <label htmlFor={id}>Allowed addresses (one CIDR per line)</label>
        <textarea
          id={id}
          rows={6}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          aria-invalid={problems.length ? true : undefined}
          aria-describedby={describedBy}
        />
        <p id={`${id}-hint`} className="field-hint">
          For example 192.168.10.0/24 or 2001:db8::/32. Leave empty to allow every address. Your address is{' '}
          <code data-testid="your-ip">{yourIp || 'unknown'}</code>.
        </p>
        {problems.length > 0 && (
          <div id={`${id}-problems`} className="form-error" role="alert" data-testid="cidr-problems">
            <ul>
              {problems.map((p) => (
                <li key={p.line}>{p.message}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <SelectField
        label="Applies to"
        value={mode}
        onChange={(v) => setMode(v === 'api' ? 'api' : 'all')}
        options={MODE_OPTIONS}
      />
      <CheckboxField
        label="Always allow this machine (loopback)"
        hint="Requests from 127.0.0.1 and ::1 are never blocked, so someone on the server itself cannot be locked out."
        checked={loopback}
        onChange={setLoopback}
      />
      <ErrorAlert message={error} testId="allowlist-error" />
      <div>
        <button type="submit" className="primary" disabled={busy}>
          Save allowlist
        </button>
      </div>
      <StatusMessage text={status} />
    </form>
  );
}

export function AllowlistSection({ orgId }: { orgId: string | null }) {
  const api = useApi();
  const remote = useRemote(`allowlist:${orgId ?? 'instance'}`, () => fetchAllowlist(api, orgId));
  return (
    <section className="panel" aria-labelledby="allowlist-heading">
      <h2 id="allowlist-heading">IP allowlist</h2>
      <ErrorAlert message={remote.error} />
      {remote.data ? (
        <AllowlistForm orgId={orgId} initial={remote.data} yourIp={remote.data.yourIp} />
      ) : (
        !remote.error && <p>Loading…</p>
      )}
    </section>
  );
}
