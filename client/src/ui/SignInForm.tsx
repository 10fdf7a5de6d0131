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
  const flow = useSignIn();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (flow.mfaToken) void flow.verify(code, email).then(() => setCode(''));
    else void flow.signIn(email, password).then(() => setPassword(''));
  };
  return (
    <form className="sign-in-form" onSubmit={onSubmit}>
      {flow.mfaToken ? (
        <TextField
          label="Authentication code"
          hint="The 6-digit code from your authenticator app, or one of your backup codes."
          autoComplete="one-time-code"
          inputMode="text"
          value={code}
          onChange={setCode}
          required
          autoFocus
        />
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
