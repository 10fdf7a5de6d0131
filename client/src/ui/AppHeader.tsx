import { QuotaBar } from './farm/quotas/QuotaBar.js';
import { OrgPicker } from './OrgPicker.js';
import { SyncIndicator } from './SyncIndicator.js';
import { useController } from './appContext.js';

export function AppHeader() {
  const controller = useController();
  return (
    <header className="app-header">
      <p className="app-name">Fleetsync</p>
      <OrgPicker />
      <SyncIndicator />
      <QuotaBar />
      <button type="button" className="sign-out" onClick={() => void controller.signOut()}>
        Sign out
      </button>
    </header>
  );
}
