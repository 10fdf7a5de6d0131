/** The ten backup codes, shown once right after two-factor authentication was turned on. */
import { useEffect, useRef } from 'react';

interface Props {
  codes: string[];
  doneLabel: string;
  onDone: () => void;
}

export function BackupCodes({ codes, doneLabel, onDone }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="backup-codes stack">
      <h3 ref={heading} tabIndex={-1}>
        Two-factor authentication is on. Store your backup codes now
      </h3>
      <p>
        If you lose your phone, each of these codes lets you sign in once. Print them or keep them in a password manager:{' '}
        <strong>they will not be shown again.</strong>
      </p>
      <ol data-testid="backup-codes" className="code-list">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div>
        <button type="button" className="primary" onClick={onDone}>
          {doneLabel}
        </button>
      </div>
    </div>
  );
}
