/** Copies a text to the clipboard and says so (politely) when it worked. */
import { useState } from 'react';

export function CopyButton({ text, what }: { text: string; what: string }) {
  const [status, setStatus] = useState('');
  const copy = () => {
    const clipboard = globalThis.navigator?.clipboard;
    if (!clipboard) {
      setStatus('Copying is not available here; select the text and copy it.');
      return;
    }
    clipboard.writeText(text).then(
      () => setStatus('Copied.'),
      () => setStatus('Could not copy; select the text and copy it.'),
    );
  };
  return (
    <span className="copy">
      <button type="button" onClick={copy}>
        Copy<span className="visually-hidden"> {what}</span>
      </button>
      <span role="status" aria-live="polite" className="copy-status">
        {status}
      </span>
    </span>
  );
}
