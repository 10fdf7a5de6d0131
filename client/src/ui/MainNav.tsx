import type { ReactNode } from 'react';
import { useAttention } from '../hooks/useAttention.js';
import { hrefOf, type Route } from '../hooks/useRoute.js';

const LINKS: { route: Route; label: string }[] = [
  { route: 'printers', label: 'Printers' },
  { route: 'jobs', label: 'Jobs' },
  { route: 'spools', label: 'Spools' },
];

export function MainNav({ current }: { current: Route }) {
  const attention = useAttention().length;
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
      </ul>
    </nav>
  );
}
