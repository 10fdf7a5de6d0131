import { SignInForm } from './SignInForm.js';

export function SignInPage() {
  return (
    <main id="main" tabIndex={-1} className="sign-in">
      <p className="app-name">Fleetsync</p>
      <h1>Sign in</h1>
      <SignInForm submitLabel="Sign in" autoFocus />
    </main>
  );
}
