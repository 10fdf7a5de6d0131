/** Profile: change the password, checked with the shared policy before and by the server after. */
import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN_LENGTH } from '@fleetsync/shared';
import { changePassword } from '../../api/accountApi.js';
import { errorText } from '../../api/apiError.js';
import { useApi } from '../../hooks/useApi.js';
import { useReady } from '../appContext.js';
import { ErrorAlert, StatusMessage } from '../common/Feedback.js';
import { TextField } from '../form/fields.js';
import { MISMATCH, passwordFormProblems, passwordProblemText, serverPasswordProblems } from './passwordRules.js';

export function PasswordSection() {
  const api = useApi();
  const { session, me } = useReady();
  const email = me?.user.email || session.email;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setStatus(null);
    const found = passwordFormProblems(next, repeat, email);
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    changePassword(api, current, next).then(
      (others) => {
        setBusy(false);
        setCurrent('');
        setNext('');
        setRepeat('');
        setStatus(
          others > 0
            ? `Password changed. ${others} other ${others === 1 ? 'session was' : 'sessions were'} signed out.`
            : 'Password changed.',
        );
      },
      (err: unknown) => {
        setBusy(false);
        const fromServer = serverPasswordProblems(err);
        if (fromServer) setProblems(fromServer);
        else setError(errorText(err));
      },
    );
  };

  const policyProblems = problems.filter((p) => p !== MISMATCH);
  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <form className="stack narrow" onSubmit={submit} noValidate aria-labelledby="password-heading">
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
          required
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters with an upper-case letter, a lower-case letter and a digit; common passwords are refused.`}
          value={next}
          onChange={setNext}
          error={policyProblems.length > 0 ? 'See the problems listed below.' : undefined}
          required
        />
        <TextField
          label="Repeat new password"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={setRepeat}
          error={problems.includes(MISMATCH) ? passwordProblemText(MISMATCH) : undefined}
          required
        />
        {problems.length > 0 && (
          <div role="alert" className="form-error" data-testid="password-problems">
            <p>The new password cannot be used yet:</p>
            <ul>
              {problems.map((p) => (
                <li key={p} data-problem={p}>
                  {passwordProblemText(p)}
                </li>
              ))}
            </ul>
          </div>
        )}
        <ErrorAlert message={error} />
        <div>
          <button type="submit" className="primary" disabled={busy}>
            Change password
          </button>
        </div>
        <StatusMessage text={status} />
      </form>
    </section>
  );
}
