/**
 * #/invite/<token>: accept an invitation. A new account chooses a display name and a
 * password (shared policy); someone who already has an account just accepts.
 */
import { useState, type FormEvent } from 'react';
import { errorText } from '../../api/apiError.js';
import { acceptInvitation } from '../../api/membersApi.js';
import { useAppState, useController } from '../appContext.js';
import { ErrorAlert } from '../common/Feedback.js';
import { TextField } from '../form/fields.js';
import { passwordFormProblems, passwordProblemText, serverPasswordProblems } from '../profile/passwordRules.js';

export function InvitePage({ token }: { token: string }) {
  const controller = useController();
  const signedIn = useAppState().phase === 'ready';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [joined, setJoined] = useState<{ email: string; role: string } | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const found = password || repeat ? passwordFormProblems(password, repeat) : [];
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    acceptInvitation({
      token,
      ...(name.trim() ? { displayName: name.trim() } : {}),
      ...(password ? { password } : {}),
    }).then(
      (result) => {
        setBusy(false);
        setJoined(result);
        if (signedIn) void controller.refreshMe();
      },
      (err: unknown) => {
        setBusy(false);
        const fromServer = serverPasswordProblems(err);
        if (fromServer) setProblems(fromServer);
        else setError(errorText(err));
      },
    );
  };

  return (
    <main id="main" tabIndex={-1} className="sign-in">
      <p className="app-name">Fleetsync</p>
      <h1>Accept invitation</h1>
      {joined ? (
        <div role="status" aria-live="polite" className="stack">
          <p>
            You joined as <strong>{joined.role}</strong>. {signedIn ? '' : `Sign in as ${joined.email}.`}
          </p>
          <p>
            <a href="#/printers">{signedIn ? 'Continue to Fleetsync' : 'Go to sign in'}</a>
          </p>
        </div>
      ) : (
        <form className="sign-in-form" onSubmit={submit} noValidate>
          <p className="field-hint">
            New to Fleetsync? Choose your name and a password. Already have an account with this email? Leave the password empty
            and accept.
          </p>
          <TextField label="Your name" autoComplete="name" value={name} onChange={setName} />
          <TextField label="Password" type="password" autoComplete="new-password" value={password} onChange={setPassword} />
          <TextField label="Repeat password" type="password" autoComplete="new-password" value={repeat} onChange={setRepeat} />
          {problems.length > 0 && (
            <div role="alert" className="form-error">
              <ul>
                {problems.map((p) => (
                  <li key={p}>{passwordProblemText(p)}</li>
                ))}
              </ul>
            </div>
          )}
          <ErrorAlert message={error} />
          <button type="submit" className="primary" disabled={busy}>
            Accept invitation
          </button>
        </form>
      )}
    </main>
  );
}
