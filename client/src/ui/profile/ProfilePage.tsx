/** #/profile: the signed-in user's account security. */
import { useReady } from '../appContext.js';
import { PasswordSection } from './PasswordSection.js';
import { SessionsSection } from './SessionsSection.js';
import { TokensSection } from './TokensSection.js';
import { TwoFactorSection } from './TwoFactorSection.js';

export function ProfilePage() {
  const { me, session } = useReady();
  return (
    <section aria-labelledby="profile-heading" className="page-stack">
      <div className="page-head">
        <h1 id="profile-heading" tabIndex={-1}>
          Profile
        </h1>
        <p className="muted">{me?.user.email || session.email}</p>
      </div>
      <TwoFactorSection />
      <PasswordSection />
      <SessionsSection />
      <TokensSection />
    </section>
  );
}
