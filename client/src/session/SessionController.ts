/**
 * The signed-in lifecycle outside React: start from the stored session (works offline),
 * sign in (with a second factor when enabled), keep the access token fresh, ask the user to
 * sign in again only when the session really ended (local data is kept), switch users, sign
 * out. Transitions run one at a time; React reads the state through `subscribe`/`getState`.
 */
import { isNetworkError, isUnauthorized } from '../api/apiError.js';
import { fetchOrgs, type OrgSummary } from '../api/adminApi.js';
import { fetchMe, login, logout, verifyMfa, type SecondFactor } from '../api/authApi.js';
import type { LoginResult, Me } from '../api/authTypes.js';
import type { AppState, ReadyState, SignInOutcome } from './appState.js';
import { createAuthedApi, type AuthedApi } from './authedApi.js';
import { cacheMe, forgetMe, loadCachedMe } from './meCache.js';
import { openWorkspace, type Workspace } from './openWorkspace.js';
import { chooseOrg, rememberOrg } from './orgChoice.js';
import { refreshSession } from './refreshSession.js';
import { scheduleBeforeExpiry } from './refreshTimer.js';
import { clearSession, loadSession, saveSession, SESSION_KEY, type StoredSession } from './sessionStorage.js';
import { seesAllOrgs, visibleOrgs } from './visibleOrgs.js';

const REFRESH_SPACING_MS = 10_000;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class SessionController {
  private state: AppState = { phase: 'loading' };
  private readonly listeners = new Set<() => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private cleanups: (() => void)[] = [];
  private recovering: Promise<void> | null = null;
  private cancelRefreshTimer: () => void = () => undefined;
  private lastRefreshAt = 0;
  private recheck: ReturnType<typeof setTimeout> | null = null;
  /** `/api/me` requests started and the newest one applied: an older answer never wins. */
  private meAsked = 0;
  private meApplied = 0;

  /** REST calls as the signed-in user; a refused token is refreshed once and the call retried. */
  readonly api: AuthedApi = createAuthedApi({
    token: () => (this.state.phase === 'ready' ? this.state.session.token : null),
    recover: () => this.recoverAuth(),
    onMfaSetupRequired: () => void this.refreshMe(),
  });

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): AppState => this.state;

  /** Opens the stored session's local data at once; the network is only asked afterwards. */
  start(): Promise<void> {
    globalThis.addEventListener?.('storage', (e: StorageEvent) => {
      if (e.key === SESSION_KEY) void this.followOtherTab();
    });
    globalThis.addEventListener?.('online', () => void this.refreshMe());
    return this.run(async () => {
      const session = loadSession();
      if (!session) return this.set({ phase: 'signedOut' });
      await this.openFor(session, loadCachedMe(session.userId));
    }).then(() => this.refreshMe());
  }

  /** Throws an ApiError (e.g. INVALID_CREDENTIALS) for the form to show. */
  async signIn(email: string, password: string): Promise<SignInOutcome> {
    const step = await login(email, password);
    if (step.kind === 'mfa') return { kind: 'mfa', mfaToken: step.mfaToken };
    await this.completeSignIn(step.result, email);
    return { kind: 'signedIn' };
  }

  /** The second step: an authenticator code or a backup code. */
  async verifySecondFactor(mfaToken: string, factor: SecondFactor, email: string): Promise<void> {
    await this.completeSignIn(await verifyMfa(mfaToken, factor), email);
  }

  /** Two-factor authentication was just turned on: leave the setup screen and sync again. */
  async finishMfaSetup(): Promise<void> {
    await this.refreshMe();
    const s = this.state;
    if (s.phase !== 'ready') return;
    // The server lifted the restriction when it accepted the first code, even if /api/me failed just now.
    const me = s.me && { ...s.me, mfaEnabled: true, mfaSetupRequired: false };
    if (me) cacheMe(me);
    this.update(s, (cur) => ({ ...cur, me, mfaSetupRequired: false }));
    s.workspace.sync.reconnect();
  }

  /** Stops sync and forgets the session. Local data stays for the next sign-in. */
  signOut(): Promise<void> {
    return this.run(async () => {
      const s = this.state;
      if (s.phase === 'ready') {
        logout(s.session.token).catch(() => undefined);
        forgetMe(s.session.userId);
      }
      clearSession();
      await this.closeCurrent();
      this.set({ phase: 'signedOut' });
    });
  }

  selectOrg(orgId: string): void {
    const s = this.state;
    if (s.phase !== 'ready' || !visibleOrgs(s.me, s.platformOrgs).some((o) => o.id === orgId)) return;
    rememberOrg(s.session.userId, orgId);
    this.set({ ...s, orgId });
  }

  dismissProblem(): void {
    if (this.state.phase === 'ready') this.set({ ...this.state, problem: null });
  }

  readonly reportProblem = (err: unknown): void => {
    if (this.state.phase === 'ready') this.set({ ...this.state, problem: messageOf(err) });
  };

  /**
   * Refreshes orgs, roles and two-factor state from the server (offline keeps the cached
   * answer). An org the user lost disappears from the header and lists; when it was the
   * selected one, another is selected.
   */
  async refreshMe(): Promise<void> {
    const s = this.state;
    if (s.phase !== 'ready') return;
    const asked = ++this.meAsked;
    try {
      const me = await fetchMe(s.session.token);
      const platformOrgs = seesAllOrgs(me) && !me.mfaSetupRequired ? await this.loadPlatformOrgs(s) : [];
      if (asked < this.meApplied) return;
      this.meApplied = asked;
      const current = this.state;
      // Signed out (or switched user) meanwhile: the answer belongs to a closed workspace.
      if (current.phase !== 'ready' || current.workspace !== s.workspace) return;
      cacheMe(me);
      this.update(s, (cur) => ({
        ...cur,
        me,
        platformOrgs,
        orgId: chooseOrg(cur.session.userId, visibleOrgs(me, platformOrgs)),
        mfaSetupRequired: me.mfaSetupRequired,
      }));
    } catch (err) {
      if (isUnauthorized(err)) await this.recoverAuth();
    }
  }

  private async loadPlatformOrgs(s: ReadyState): Promise<OrgSummary[]> {
    try {
      return await fetchOrgs(this.api);
    } catch {
      return s.platformOrgs;
    }
  }

  /** The server refused the token: refresh it once (any tab), else ask the user to sign in. */
  private recoverAuth(): Promise<void> {
    this.recovering ??= this.tryRefresh().finally(() => (this.recovering = null));
    return this.recovering;
  }

  private async tryRefresh(): Promise<void> {
    const s = this.state;
    if (s.phase !== 'ready' || s.authLost) return;
    // Requests still in flight with the previous token fail too; one refresh covers them.
    // Later, ask the server whether the current token is good (a 401 then refreshes again).
    const wait = this.lastRefreshAt + REFRESH_SPACING_MS - Date.now();
    if (wait > 0) {
      this.recheck ??= setTimeout(() => {
        this.recheck = null;
        void this.refreshMe();
      }, wait);
      return;
    }
    this.lastRefreshAt = Date.now();
    try {
      const fresh = await refreshSession(s.session);
      if (!fresh) return this.update(s, (cur) => ({ ...cur, authLost: true }));
      this.useSession(s, fresh);
    } catch (err) {
      if (!isNetworkError(err)) this.update(s, (cur) => ({ ...cur, authLost: true }));
    }
  }

  private async completeSignIn(result: LoginResult, email: string): Promise<void> {
    const session: StoredSession = {
      token: result.token,
      userId: result.user.id,
      email: result.user.email || email,
      ...(result.expiresAt ? { expiresAt: result.expiresAt } : {}),
    };
    saveSession(session);
    const me = await fetchMe(session.token).catch(() => loadCachedMe(session.userId));
    if (me) cacheMe(me);
    const mfaSetupRequired = me?.mfaSetupRequired ?? result.mfaSetupRequired;
    await this.run(async () => {
      const s = this.state;
      if (s.phase === 'ready' && s.session.userId === session.userId) {
        this.useSession(s, session, me, mfaSetupRequired);
        return;
      }
      await this.closeCurrent();
      await this.openFor(session, me, mfaSetupRequired);
    });
    void this.refreshMe();
  }

  /** Another tab signed in, refreshed the token, switched user or signed out. */
  private followOtherTab(): Promise<void> {
    return this.run(async () => {
      const session = loadSession();
      const s = this.state;
      if (session && s.phase === 'ready' && session.userId === s.session.userId) {
        if (session.token !== s.session.token) this.useSession(s, session);
        return;
      }
      await this.closeCurrent();
      if (!session) return this.set({ phase: 'signedOut' });
      await this.openFor(session, loadCachedMe(session.userId));
    }).then(() => this.refreshMe());
  }

  /** Same user, new token: keep the open workspace and reconnect with it. */
  private useSession(seen: ReadyState, session: StoredSession, me?: Me | null, mfaSetupRequired?: boolean): void {
    this.update(seen, (cur) => {
      const nextMe = me ?? cur.me;
      return {
        ...cur,
        session,
        me: nextMe,
        orgId: chooseOrg(session.userId, visibleOrgs(nextMe, cur.platformOrgs)),
        mfaSetupRequired: mfaSetupRequired ?? cur.mfaSetupRequired,
        authLost: false,
        problem: null,
      };
    });
    this.keepFresh(session);
    seen.workspace.sync.reconnect();
  }

  private keepFresh(session: StoredSession): void {
    this.cancelRefreshTimer();
    this.cancelRefreshTimer = scheduleBeforeExpiry(session.expiresAt, () => void this.recoverAuth());
  }

  private async openFor(session: StoredSession, me: Me | null, mfaSetupRequired = me?.mfaSetupRequired ?? false): Promise<void> {
    let workspace: Workspace;
    try {
      workspace = await openWorkspace(session.userId, this.reportProblem);
    } catch (err) {
      this.set({ phase: 'failed', message: `The local database could not be opened: ${messageOf(err)}` });
      return;
    }
    // Memberships and roles may have changed: at once (scope notice) or while away (reconnect).
    const scope = workspace.sync.scopeChanged$.subscribe(() => void this.refreshMe());
    const connected = workspace.sync.connected$.subscribe(() => void this.refreshMe());
    const auth = workspace.sync.authProblem$.subscribe(() => void this.recoverAuth());
    this.cleanups.push(
      () => scope.unsubscribe(),
      () => connected.unsubscribe(),
      () => auth.unsubscribe(),
    );
    const orgId = chooseOrg(session.userId, visibleOrgs(me, []));
    this.set({
      phase: 'ready',
      session,
      me,
      authLost: false,
      platformOrgs: [],
      orgId,
      mfaSetupRequired,
      workspace,
      problem: null,
    });
    this.keepFresh(session);
  }

  private async closeCurrent(): Promise<void> {
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups = [];
    this.cancelRefreshTimer();
    const s = this.state;
    if (s.phase === 'ready') {
      this.set({ phase: 'loading' });
      await s.workspace.close().catch(() => undefined);
    }
  }

  /** Applies a change only if the same workspace is still open (no stale async writes). */
  private update(seen: ReadyState, change: (cur: ReadyState) => ReadyState): void {
    const cur = this.state;
    if (cur.phase === 'ready' && cur.workspace === seen.workspace) this.set(change(cur));
  }

  private run<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(step, step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private set(state: AppState): void {
    this.state = state;
    for (const l of this.listeners) l();
  }
}
