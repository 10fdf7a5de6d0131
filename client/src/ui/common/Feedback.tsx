/** Async feedback: a polite live region for progress and results, an alert for failures. */

/** Always rendered, so screen readers are already listening when the text changes. */
export function StatusMessage({ text, testId }: { text: string | null; testId?: string }) {
  return (
    <p className="status-message" role="status" aria-live="polite" data-testid={testId}>
      {text ?? ''}
    </p>
  );
}

export function ErrorAlert({ message, testId }: { message: string | null; testId?: string }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId}>
      {message}
    </p>
  );
}
