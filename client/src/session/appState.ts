import type { OrgSummary } from '../api/adminApi.js';
import type { Me } from '../api/authTypes.js';
import type { Workspace } from './openWorkspace.js';
import type { StoredSession } from './sessionStorage.js';

export interface ReadyState {
  phase: 'ready';
  session: StoredSession;
  /** The last known `/api/me` (possibly cached from an earlier online start). */
  me: Me | null;
  /** The server refused the session and it could not be refreshed: sign in again. */
  authLost: boolean;
  /** Every organization, for platform staff (empty for everyone else). */
  platformOrgs: OrgSummary[];
  /** The organization new documents go to and lists show. */
  orgId: string | null;
  /** Nothing but two-factor setup until it is done (the org or instance requires it). */
  mfaSetupRequired: boolean;
  workspace: Workspace;
  /** A background failure worth telling the user about. */
  problem: string | null;
}

export type AppState = { phase: 'loading' } | { phase: 'signedOut' } | { phase: 'failed'; message: string } | ReadyState;

/** The result of the password step: done, or a second factor is needed. */
export type SignInOutcome = { kind: 'signedIn' } | { kind: 'mfa'; mfaToken: string };
