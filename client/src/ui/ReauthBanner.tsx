/** Shown when the server refuses the stored token: sign in again; local data stays. */
import { useReady } from './appContext.js';
import { SignInForm } from './SignInForm.js';

export function ReauthBanner() {
  const { session } = useReady();
  return (
    <section className="banner banner-warning" aria-labelledby="reauth-heading" data-testid="reauth-banner">
      <h2 id="reauth-heading">Sign in again</h2>
      <p role="alert">
        Your session has ended, so changes are not being synced. Everything on this device is kept; sign in again to resume
        syncing.
      </p>
      <SignInForm submitLabel="Sign in again" initialEmail={session.email} />
    </section>
  );
}
