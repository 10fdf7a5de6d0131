import { useSyncExternalStore } from 'react';

export const ROUTES = ['printers', 'jobs', 'spools', 'attention'] as const;
export type Route = (typeof ROUTES)[number];

function routeOf(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split('/')[0];
  return ROUTES.find((r) => r === name) ?? 'printers';
}

function subscribe(onChange: () => void): () => void {
  globalThis.addEventListener('hashchange', onChange);
  return () => globalThis.removeEventListener('hashchange', onChange);
}

/** The page named by the URL hash (`#/printers`, `#/jobs`, `#/spools`, `#/attention`). */
export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => routeOf(globalThis.location.hash));
}

export const hrefOf = (route: Route) => `#/${route}`;
