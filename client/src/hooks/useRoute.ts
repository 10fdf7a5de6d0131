import { useSyncExternalStore } from 'react';

export const ROUTES = [
  'printers',
  'jobs',
  'spools',
  'attention',
  'profile',
  'admin',
  // Print-farm screens (ui/farm); `fleet` is the landing page.
  'fleet',
  'queue',
  'models',
  'reports',
  'analytics',
  // Endpoint-fleet screens (ui/fleet): #/devices, #/devices/groups, #/devices/deployments, #/devices/<id>.
  'devices',
] as const;
export type Route = (typeof ROUTES)[number];

/** The hash's path segments: `#/admin/members` -> ['admin', 'members']. */
export function hashSegments(hash: string): string[] {
  return hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

function routeOf(hash: string): Route {
  const name = hashSegments(hash)[0];
  return ROUTES.find((r) => r === name) ?? 'fleet';
}

function subscribe(onChange: () => void): () => void {
  globalThis.addEventListener('hashchange', onChange);
  return () => globalThis.removeEventListener('hashchange', onChange);
}

/** The page named by the URL hash (`#/printers`, `#/jobs`, `#/spools`, `#/attention`, `#/profile`, `#/admin`). */
export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => routeOf(globalThis.location.hash));
}

/** The raw hash (for sub-pages like `#/admin/members` and `#/invite/<token>`). */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => globalThis.location.hash);
}

export const hrefOf = (route: Route) => `#/${route}`;
