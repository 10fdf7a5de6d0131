/** `#/devices/deployments`: packages (and the depot), new deployment, deployments and their status dashboard. */
import { useState } from 'react';
import { can } from '@fleetsync/shared';
import { useReady } from '../../appContext.js';
import { usePageTitle } from '../../farm/common/usePageTitle.js';
import { usePrincipal } from '../../farm/common/usePrincipal.js';
import { FleetTabs } from '../FleetTabs.js';
import { useFleetDocs } from '../useFleetDocs.js';
import { DepotPanel } from './DepotPanel.js';
import { DeploymentStatusView } from './DeploymentStatusView.js';
import { NewDeploymentForm } from './NewDeploymentForm.js';
import { STATE_TEXT } from './statusTypes.js';

export function DeploymentsPage() {
  const headingRef = usePageTitle('Deployments');
  const { orgId } = useReady();
  const principal = usePrincipal();
  const packages = useFleetDocs('catalog').filter((c) => c.kind === 'package');
  const groups = useFleetDocs('deviceGroups');
  const devices = useFleetDocs('devices');
  const deployments = useFleetDocs('deployments');
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const canCreate = orgId !== null && can(principal, 'deployments.create', { orgId });
  const current = deployments.find((d) => d.id === selected);
  const pkgName = new Map(packages.map((p) => [p.id, p.name]));

  return (
    <section className="fleet-page">
      <h1 ref={headingRef} tabIndex={-1}>
        Deployments
      </h1>
      <FleetTabs current="deployments" />
      <section aria-labelledby="pkg-h">
        <h2 id="pkg-h">Packages</h2>
        {packages.length === 0 ? (
          <p>No packages in the catalog yet.</p>
        ) : (
          <table className="doc-table" data-testid="package-table">
            <caption className="visually-hidden">Packages</caption>
            <thead>
              <tr>
                <th scope="col">Package</th>
                <th scope="col">Vendor</th>
                <th scope="col">Versions</th>
              </tr>
            </thead>
            <tbody>
              {packages.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td>{p.vendor ?? '—'}</td>
                  <td>{(p.versions ?? []).map((v) => `${v.version} (${v.platform})`).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {orgId && <DepotPanel orgId={orgId} canUpload={can(principal, 'catalog.create', { orgId })} />}
      </section>

      <p role="status" data-testid="deployment-notice">
        {notice}
      </p>
      {creating ? (
        <NewDeploymentForm
          packages={packages}
          groups={groups}
          devices={devices}
          onCancel={() => setCreating(false)}
          onCreated={(id, name) => {
            setCreating(false);
            setSelected(id);
            setNotice(`Deployment "${name}" created.`);
          }}
        />
      ) : (
        canCreate && (
          <button type="button" onClick={() => setCreating(true)}>
            New deployment
          </button>
        )
      )}

      <section aria-labelledby="deps-h">
        <h2 id="deps-h">All deployments</h2>
        {deployments.length === 0 ? (
          <p>No deployments yet.</p>
        ) : (
          <table className="doc-table" data-testid="deployment-table">
            <caption className="visually-hidden">Deployments</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Package</th>
                <th scope="col">Type</th>
                <th scope="col">State</th>
                <th scope="col">Wave</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deployments.map((d) => (
                <tr key={d.id} data-testid={`deployment-row-${d.id}`}>
                  <th scope="row">{d.name}</th>
                  <td>
                    {pkgName.get(d.packageId) ?? d.packageId} {d.packageVersion}
                  </td>
                  <td>{d.intent}</td>
                  <td>{STATE_TEXT[d.state ?? 'pending'] ?? d.state}</td>
                  <td>{d.waveCount ? `${Math.min((d.currentWave ?? 0) + 1, d.waveCount)} of ${d.waveCount}` : '—'}</td>
                  <td>
                    <button type="button" onClick={() => setSelected(d.id)} aria-pressed={d.id === selected}>
                      Show status<span className="visually-hidden"> of {d.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {current && (
        <DeploymentStatusView
          key={current.id}
          id={current.id}
          canManage={can(principal, 'deployments.update', { orgId: current.orgId })}
        />
      )}
    </section>
  );
}
