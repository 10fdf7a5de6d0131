import { useController, useReady } from './appContext.js';

/** A background failure (e.g. a rejection that could not be recorded). */
export function ProblemBanner() {
  const { problem } = useReady();
  const controller = useController();
  if (!problem) return null;
  return (
    <div className="banner banner-error" role="alert">
      <p>{problem}</p>
      <button type="button" onClick={() => controller.dismissProblem()}>
        Dismiss
      </button>
    </div>
  );
}
