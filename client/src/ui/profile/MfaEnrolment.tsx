/**
 * Setting up two-factor authentication: ask the server for a secret, show it as a QR code and
 * as text, then turn it on with a first code. Used on the profile page and on the setup
 * screen an org or instance rule forces.
 */
import { useState, type FormEvent } from 'react';
import { confirmMfa, startMfaSetup, type MfaSetup } from '../../api/accountApi.js';
import { errorText } from '../../api/apiError.js';
import { useApi } from '../../hooks/useApi.js';
import { ErrorAlert, StatusMessage } from '../common/Feedback.js';
import { TextField } from '../form/fields.js';

export function MfaEnrolment({ onEnabled }: { onEnabled: (backupCodes: string[]) => void }) {
  const api = useApi();
  const [setup, setSetup] = useState<MfaSetup | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const begin = () => {
    setBusy(true);
    setError(null);
    setStatus('Preparing your key…');
    startMfaSetup(api).then(
      (s) => {
        setSetup(s);
        setBusy(false);
        setStatus('Scan the QR code, then enter the code your app shows.');
      },
      (err: unknown) => {
        setError(errorText(err));
        setBusy(false);
        setStatus(null);
      },
    );
  };

  const turnOn = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    confirmMfa(api, code).then(
      (codes) => {
        setBusy(false);
        onEnabled(codes);
      },
      (err: unknown) => {
        setError(errorText(err));
        setBusy(false);
      },
    );
  };

  if (!setup) {
    return (
      <div className="stack">
        <p>Two-factor authentication is off. With it on, signing in also needs a code from an app on your phone.</p>
        <ErrorAlert message={error} />
        <StatusMessage text={status} />
        <div>
          <button type="button" className="primary" onClick={begin} disabled={busy}>
            Set up two-factor authentication
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="stack mfa-setup">
      <ol className="steps">
        <li>
          Scan this QR code with an authenticator app (for example FreeOTP, Aegis or Google Authenticator).
          <div>
            <img className="qr" src={setup.qrDataUrl} alt="QR code for your authenticator app" width={240} height={240} />
          </div>
        </li>
        <li>
          Or type this key into the app: <code data-testid="mfa-secret">{setup.secret}</code>
        </li>
        <li>Enter the 6-digit code the app shows now.</li>
      </ol>
      <form className="inline-form" onSubmit={turnOn}>
        <TextField
          label="Code from your app"
          autoComplete="one-time-code"
          inputMode="numeric"
          value={code}
          onChange={setCode}
          required
          autoFocus
        />
        <ErrorAlert message={error} />
        <div>
          <button type="submit" className="primary" disabled={busy}>
            Turn on
          </button>
        </div>
      </form>
      <StatusMessage text={status} />
    </div>
  );
}
