/**
 * When the org or instance requires two-factor authentication and this user has none, the
 * only screen is its setup (the server refuses everything else to this session too). The
 * backup codes stay on screen until the user says they stored them.
 */
import { useState, type ReactNode } from 'react';
import { useController, useReady } from './appContext.js';
import { BackupCodes } from './profile/BackupCodes.js';
import { MfaEnrolment } from './profile/MfaEnrolment.js';

export function MfaGate({ children }: { children: ReactNode }) {
  const { mfaSetupRequired } = useReady();
  const controller = useController();
  const [codes, setCodes] = useState<string[] | null>(null);
  if (!mfaSetupRequired && !codes) return <>{children}</>;
  const done = () => {
    void controller.finishMfaSetup().finally(() => setCodes(null));
  };
  return (
    <section aria-labelledby="mfa-gate-heading" className="panel" data-testid="mfa-gate">
      <h1 id="mfa-gate-heading" tabIndex={-1}>
        Set up two-factor authentication
      </h1>
      <p className="intro">
        Your organization requires two-factor authentication. Set it up now to continue: until then, the other screens are not
        available and nothing is synced.
      </p>
      {codes ? (
        <BackupCodes codes={codes} doneLabel="Continue to Fleetsync" onDone={done} />
      ) : (
        <MfaEnrolment onEnabled={setCodes} />
      )}
    </section>
  );
}
