/** Email and password (then a second factor when enabled), with the server's error in an alert. */
import { useState, type FormEvent } from 'react';
import { useSignIn } from '../hooks/useSignIn.js';
import { TextField } from './form/fields.js';

interface Props {
  submitLabel: string;
  initialEmail?: string;
  autoFocus?: boolean;
}

export function SignInForm({ submitLabel, initialEmail = '', autoFocus = false }: Props) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useBackup, setUseBackup] = useState(false);
  const flow = useSignIn();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (flow.mfaToken) void flow.verify({ kind: useBackup ? 'backup' : 'totp', code }, email).then(() => setCode(''));
    else void flow.signIn(email, password).then(() => setPassword(''));
  };
  const toggleBackup = () => {
    setUseBackup((b) => !b);
    setCode('');
  };
  return (
    <form className="sign-in-form" onSubmit={onSubmit}>
      {flow.mfaToken ? (
        <>
          {useBackup ? (
            <TextField
              key="backup"
              label="Backup code"
              hint="One of the ten backup codes you stored when you turned on two-factor authentication. Each works once."
              autoComplete="off"
              value={code}
              onChange={setCode}
              required
              autoFocus
            />
          ) : (
            <TextField
              key="totp"
              label="Authentication code"
              hint="The 6-digit code from your authenticator app."
              autoComplete="one-time-code"
              inputMode="numeric"
              value={code}
              onChange={setCode}
              required
              autoFocus
            />
          )}
          <button type="button" className="link-button" onClick={toggleBackup}>
            {useBackup ? 'Use a code from your app' : 'Use a backup code'}
          </button>
        </>
      ) : (
        <>
          <TextField
            label="Email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={setEmail}
            required
            autoFocus={autoFocus && !initialEmail}
          />
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            required
            autoFocus={autoFocus && !!initialEmail}
          />
        </>
      )}
      {flow.error && (
        <p className="form-error" role="alert">
          {flow.error}
        </p>
      )}
      <button type="submit" className="primary" disabled={flow.busy}>
        {flow.busy ? 'Signing in…' : flow.mfaToken ? 'Verify' : submitLabel}
      </button>
    </form>
  );
}
