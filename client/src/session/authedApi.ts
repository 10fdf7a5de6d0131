/**
 * REST calls as the signed-in user. A refused access token (expired, revoked) is refreshed
 * once through the session controller and the call retried with the new token; any other
 * error (a wrong code or password, a policy refusal) goes to the caller as it is.
 */
import { ApiError, isSessionEnded } from '../api/apiError.js';
import { requestBlob, requestJson, type RequestOptions } from '../api/requestJson.js';

export type AuthedRequest = Omit<RequestOptions, 'token'>;

export interface AuthedApi {
  json(path: string, opts?: AuthedRequest): Promise<unknown>;
  blob(path: string, opts?: AuthedRequest): Promise<Blob>;
}

export interface AuthedApiDeps {
  /** The current access token, or null when nobody is signed in. */
  token(): string | null;
  /** Refresh the session after a refused token (resolves when done, successful or not). */
  recover(): Promise<void>;
  /** The server says this session must set up two-factor authentication first. */
  onMfaSetupRequired(): void;
}

export function createAuthedApi(deps: AuthedApiDeps): AuthedApi {
  async function withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = deps.token();
    if (!token) throw new ApiError(401, 'UNAUTHENTICATED', 'sign in first');
    try {
      return await call(token);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'MFA_SETUP_REQUIRED') deps.onMfaSetupRequired();
      if (!isSessionEnded(err)) throw err;
      await deps.recover();
      const fresh = deps.token();
      if (!fresh || fresh === token) throw err;
      return call(fresh);
    }
  }
  return {
    json: (path, opts = {}) => withToken((token) => requestJson(path, { ...opts, token })),
    blob: (path, opts = {}) => withToken((token) => requestBlob(path, { ...opts, token })),
  };
}
