/** #/admin (security settings and audit log) and #/admin/members, for org and platform admins. */
import { useId, useState } from 'react';
import { hashSegments, useHash } from '../../hooks/useRoute.js';
import { useReady } from '../appContext.js';
import { initialScope } from './adminAccess.js';
import { AllowlistSection } from './AllowlistSection.js';
import { AuditSection } from './AuditSection.js';
import { MembersSection } from './MembersSection.js';
import { RequireMfaSection } from './RequireMfaSection.js';
import { useAdminScopes } from './useAdminScopes.js';

type Tab = 'security' | 'members';

export function AdminPage() {
  const { orgId } = useReady();
  const tab: Tab = hashSegments(useHash())[1] === 'members' ? 'members' : 'security';
  const scopes = useAdminScopes();
  const offered = scopes.filter((s) => (tab === 'members' ? s.members : s.audit || s.settings));
  const [chosen, setChosen] = useState<string | null>(null);
  const scope = offered.find((s) => s.key === chosen) ?? initialScope(offered, orgId);
  const selectId = useId();

  const tabLink = (t: Tab, href: string, label: string, show: boolean) =>
    show && (
      <li>
        <a href={href} aria-current={tab === t ? 'page' : undefined}>
          {label}
        </a>
      </li>
    );

  return (
    <section aria-labelledby="admin-heading" className="page-stack">
      <div className="page-head">
        <h1 id="admin-heading" tabIndex={-1}>
          Administration
        </h1>
      </div>
      <nav className="sub-nav" aria-label="Administration">
        <ul>
          {tabLink(
            'security',
            '#/admin',
            'Security and audit',
            scopes.some((s) => s.audit || s.settings),
          )}
          {tabLink(
            'members',
            '#/admin/members',
            'Members',
            scopes.some((s) => s.members),
          )}
        </ul>
      </nav>
      {!scope ? (
        <p className="empty">You do not administer anything here.</p>
      ) : (
        <>
          {offered.length > 1 ? (
            <div className="field scope-picker">
              <label htmlFor={selectId}>{tab === 'members' ? 'Organization to manage' : 'Settings for'}</label>
              <select id={selectId} value={scope.key} onChange={(e) => setChosen(e.target.value)}>
                {offered.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <p className="scope-name">
              {tab === 'members' ? 'Organization to manage' : 'Settings for'}: <strong>{scope.label}</strong>
            </p>
          )}
          <div key={`${tab}:${scope.key}`} className="page-stack">
            {tab === 'members' && scope.orgId ? (
              <MembersSection orgId={scope.orgId} orgName={scope.label} />
            ) : (
              <>
                {scope.settings && <RequireMfaSection orgId={scope.orgId} />}
                {scope.settings && <AllowlistSection orgId={scope.orgId} />}
                {scope.audit && <AuditSection orgId={scope.orgId} />}
              </>
            )}
          </div>
        </>
      )}
    </section>
  );
}
