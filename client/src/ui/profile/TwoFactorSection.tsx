/** Profile: two-factor authentication status, setup (QR, key, first code, backup codes) and removal. */
import { useState } from 'react';
import { useController, useReady } from '../appContext.js';
import { StatusMessage } from '../common/Feedback.js';
import { BackupCodes } from './BackupCodes.js';
import { MfaEnrolment } from './MfaEnrolment.js';
import { MfaTurnOff } from './MfaTurnOff.js';

export function TwoFactorSection() {
  const { me } = useReady();
  const controller = useController();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  // A new setup round remounts the enrolment form (after turning it off again).
  const [round, setRound] = useState(0);

  const enabled = (backupCodes: string[]) => {
    setCodes(backupCodes);
    setStatus(null);
    void controller.refreshMe();
  };
  const disabled = () => {
    setStatus('Two-factor authentication is off. Your other sessions were signed out.');
    setRound((r) => r + 1);
    void controller.refreshMe();
  };

  let body;
  if (codes) {
    body = <BackupCodes codes={codes} doneLabel="I have stored my backup codes" onDone={() => setCodes(null)} />;
  } else if (me?.mfaEnabled) {
    body = (
      <div className="stack">
        <p data-testid="mfa-status">
          <span className="badge badge-ok">Two-factor authentication is on</span>
        </p>
        <MfaTurnOff onDisabled={disabled} />
      </div>
    );
  } else {
    body = <MfaEnrolment key={round} onEnabled={enabled} />;
  }
  return (
    <section className="panel" aria-labelledby="mfa-heading">
      <h2 id="mfa-heading">Two-factor authentication</h2>
      {body}
      <StatusMessage text={status} />
    </section>
  );
}
