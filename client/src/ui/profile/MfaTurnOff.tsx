/** Turning two-factor authentication off needs a current code (or a backup code). */
import { useState, type FormEvent } from 'react';
import { disableMfa } from '../../api/accountApi.js';
import { errorText } from '../../api/apiError.js';
import { useApi } from '../../hooks/useApi.js';
import { ErrorAlert } from '../common/Feedback.js';
import { TextField } from '../form/fields.js';

export function MfaTurnOff({ onDisabled }: { onDisabled: () => void }) {
  const api = useApi();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    disableMfa(api, code).then(
      () => {
        setBusy(false);
        setCode('');
        onDisabled();
      },
      (err: unknown) => {
        setError(errorText(err));
        setBusy(false);
      },
    );
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Turn off two-factor authentication">
      <TextField
        label="Current code"
        hint="A code from your authenticator app. Your other sessions are signed out."
        autoComplete="one-time-code"
        inputMode="numeric"
        value={code}
        onChange={setCode}
        required
      />
      <ErrorAlert message={error} />
      <div>
        <button type="submit" disabled={busy}>
          Turn off
        </button>
      </div>
    </form>
  );
}
