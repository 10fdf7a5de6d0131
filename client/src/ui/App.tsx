import type { ReactNode } from 'react';
import { hashSegments, useHash } from '../hooks/useRoute.js';
import { ReadyContext, useAppState, useController } from './appContext.js';
import { InvitePage } from './invite/InvitePage.js';
import { Shell } from './Shell.js';
import { SignInPage } from './SignInPage.js';
import { SkipLink } from './SkipLink.js';

function Notice({ children }: { children: ReactNode }) {
  return (
    <main id="main" tabIndex={-1} className="notice">
      {children}
    </main>
  );
}

export function App() {
  const state = useAppState();
  const controller = useController();
  const [first, inviteToken] = hashSegments(useHash());
  let content: ReactNode;
  if (first === 'invite' && inviteToken) {
    // Accepting an invitation works signed in or not: the link is the credential.
    content = <InvitePage token={inviteToken} />;
  } else if (state.phase === 'ready') {
    content = (
      <ReadyContext.Provider value={state}>
        <Shell />
      </ReadyContext.Provider>
    );
  } else if (state.phase === 'signedOut') {
    content = <SignInPage />;
  } else if (state.phase === 'failed') {
    content = (
      <Notice>
        <h1>Fleetsync could not start</h1>
        <p role="alert">{state.message}</p>
        <button type="button" onClick={() => void controller.signOut()}>
          Sign out
        </button>
      </Notice>
    );
  } else {
    content = (
      <Notice>
        <p role="status">Opening your data…</p>
      </Notice>
    );
  }
  return (
    <>
      <SkipLink />
      {content}
    </>
  );
}
