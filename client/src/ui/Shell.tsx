/** The signed-in layout: header, navigation, banners and the current page. */
import type { JSX } from 'react';
import { useRoute, type Route } from '../hooks/useRoute.js';
import { AdminPage } from './admin/AdminPage.js';
import { useReady } from './appContext.js';
import { AppHeader } from './AppHeader.js';
import { AttentionPage } from './attention/AttentionPage.js';
import { FARM_PAGES } from './farm/farmPages.js';
import { DevicesRoute } from './fleet/DevicesRoute.js';
import { JobsPage } from './jobs/JobsPage.js';
import { MainNav } from './MainNav.js';
import { MfaGate } from './MfaGate.js';
import { ProblemBanner } from './ProblemBanner.js';
import { ProfilePage } from './profile/ProfilePage.js';
import { ReauthBanner } from './ReauthBanner.js';
import { SpoolsPage } from './spools/SpoolsPage.js';

const PAGES: Record<Route, () => JSX.Element> = {
  ...FARM_PAGES,
  jobs: JobsPage,
  spools: SpoolsPage,
  attention: AttentionPage,
  profile: ProfilePage,
  admin: AdminPage,
  devices: DevicesRoute,
};

export function Shell() {
  const route = useRoute();
  const { authLost, mfaSetupRequired } = useReady();
  const Page = PAGES[route];
  return (
    <div className="shell">
      <AppHeader />
      {!mfaSetupRequired && <MainNav current={route} />}
      <main id="main" tabIndex={-1}>
        {authLost && <ReauthBanner />}
        <ProblemBanner />
        <MfaGate>
          <Page />
        </MfaGate>
      </main>
    </div>
  );
}
