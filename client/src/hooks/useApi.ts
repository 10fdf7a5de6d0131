import type { AuthedApi } from '../session/authedApi.js';
import { useController } from '../ui/appContext.js';

/** REST calls as the signed-in user (token refreshed and the call retried once when refused). */
export function useApi(): AuthedApi {
  return useController().api;
}
