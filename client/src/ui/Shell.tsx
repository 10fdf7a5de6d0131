/** The signed-in layout: header, navigation, banners and the current page. */
import type { JSX } from 'react';
import { useRoute, type Route } from '../hooks/useRoute.js';
import { useReady } from './appContext.js';
import { AppHeader } from './AppHeader.js';
import { AttentionPage } from './attention/AttentionPage.js';
import { JobsPage } from './jobs/JobsPage.js';
import { MainNav } from './MainNav.js';
import { PrintersPage } from './printers/PrintersPage.js';
import { ProblemBanner } from './ProblemBanner.js';
import { ReauthBanner } from './ReauthBanner.js';
import { SpoolsPage } from './spools/SpoolsPage.js';

const PAGES: Record<Route, () => JSX.Element> = {
  printers: PrintersPage,
  jobs: JobsPage,
  spools: SpoolsPage,
  attention: AttentionPage,
};

export function Shell() {
  const route = useRoute();
  const { authLost } = useReady();
  const Page = PAGES[route];
  return (
    <div className="shell">
      <AppHeader />
      <MainNav current={route} />
      <main id="main" tabIndex={-1}>
        {authLost && <ReauthBanner />}
        <ProblemBanner />
        <Page />
      </main>
    </div>
  );
}
