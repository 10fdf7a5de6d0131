import type { ReactNode } from 'react';
import { useAttention } from '../hooks/useAttention.js';
import { hrefOf, type Route } from '../hooks/useRoute.js';
import { useAdminScopes } from './admin/useAdminScopes.js';
import { FARM_LINKS } from './farm/farmPages.js';

const LINKS: { route: Route; label: string }[] = [
  ...FARM_LINKS.slice(0, 2),
  { route: 'printers', label: 'Printers' },
  { route: 'jobs', label: 'Jobs' },
  { route: 'spools', label: 'Spools' },
  ...FARM_LINKS.slice(2),
  { route: 'devices', label: 'Devices' },
];

export function MainNav({ current }: { current: Route }) {
  const attention = useAttention().length;
  const canAdmin = useAdminScopes().length > 0;
  const link = (route: Route, children: ReactNode) => (
    <li key={route}>
      <a href={hrefOf(route)} aria-current={current === route ? 'page' : undefined}>
        {children}
      </a>
    </li>
  );
  return (
    <nav className="main-nav" aria-label="Main">
      <ul>
        {LINKS.map((l) => link(l.route, l.label))}
        {link(
          'attention',
          <>
            Needs attention{' '}
            <span className={attention > 0 ? 'count count-alert' : 'count'} data-testid="attention-count">
              {attention}
            </span>
          </>,
        )}
        {link('profile', 'Profile')}
        {canAdmin && link('admin', 'Admin')}
      </ul>
    </nav>
  );
}
