import { useState } from 'react';
import { errorText } from '../api/apiError.js';
import type { SecondFactor } from '../api/authApi.js';
import { useController } from '../ui/appContext.js';

export interface SignInFlow {
  error: string | null;
  busy: boolean;
  /** Set when the password was right and a second factor is needed. */
  mfaToken: string | null;
  signIn: (email: string, password: string) => Promise<void>;
  verify: (factor: SecondFactor, email: string) => Promise<void>;
}

/** Submits credentials through the session controller and keeps the server's error message. */
export function useSignIn(): SignInFlow {
  const controller = useController();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [mfaToken, setMfaToken] = useState<string | null>(null);

  const attempt = async (task: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const signIn = (email: string, password: string) =>
    attempt(async () => {
      const outcome = await controller.signIn(email.trim(), password);
      setMfaToken(outcome.kind === 'mfa' ? outcome.mfaToken : null);
    });

  const verify = (factor: SecondFactor, email: string) =>
    attempt(async () => {
      if (!mfaToken) return;
      await controller.verifySecondFactor(mfaToken, factor, email.trim());
      setMfaToken(null);
    });

  return { error, busy, mfaToken, signIn, verify };
}
