/** A just-created API token: shown once, with a copy button and the warning that it will not be shown again. */
import { useEffect, useRef } from 'react';
import { CopyButton } from '../common/CopyButton.js';

export function NewToken({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="new-secret stack" data-testid="new-token-panel">
      <h3 ref={heading} tabIndex={-1}>
        Token “{name}” created
      </h3>
      <p className="warning">
        <strong>Copy it now: it will not be shown again.</strong> Send it as <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <p className="secret-line">
        <code data-testid="new-token">{token}</code> <CopyButton text={token} what="token" />
      </p>
      <div>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
