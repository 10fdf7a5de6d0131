/** A device's last reported inventory: system, disks, network, packages. */
import type { Device } from '@fleetsync/shared';
import { formatBytes, formatDuration, formatWhen } from '../../farm/common/format.js';

export function InventoryDetails({ device }: { device: Device }) {
  const inv = device.inventory;
  if (!inv)
    return (
      <section aria-labelledby="inv-h">
        <h2 id="inv-h">Inventory</h2>
        <p>No inventory reported yet.</p>
      </section>
    );
  return (
    <section aria-labelledby="inv-h" data-testid="inventory">
      <h2 id="inv-h">Inventory</h2>
      <p className="muted">Reported {formatWhen(device.inventoryAt)}</p>
      <dl className="fleet-facts">
        <dt>Hostname</dt>
        <dd>{inv.hostname}</dd>
        <dt>Operating system</dt>
        <dd>
          {inv.os.name} {inv.os.version} ({inv.os.arch}), kernel {inv.os.kernel}
        </dd>
        <dt>CPU</dt>
        <dd>
          {inv.cpu.model} · {inv.cpu.cores} cores
        </dd>
        <dt>Memory</dt>
        <dd>
          {formatBytes(inv.memory.totalBytes)} ({formatBytes(inv.memory.freeBytes)} free)
        </dd>
        <dt>Uptime</dt>
        <dd>{formatDuration(inv.uptimeSeconds)}</dd>
        <dt>SSH</dt>
        <dd>{inv.sshEnabled ? 'Enabled' : 'Disabled'}</dd>
        <dt>Administrators</dt>
        <dd>{inv.adminUsers.join(', ') || '—'}</dd>
      </dl>
      {inv.disks.length > 0 && (
        <table className="doc-table">
          <caption>Disks</caption>
          <thead>
            <tr>
              <th scope="col">Mount</th>
              <th scope="col">File system</th>
              <th scope="col">Size</th>
              <th scope="col">Free</th>
            </tr>
          </thead>
          <tbody>
            {inv.disks.map((d) => (
              <tr key={d.mount}>
                <th scope="row">{d.mount}</th>
                <td>{d.fsType}</td>
                <td>{formatBytes(d.totalBytes)}</td>
                <td>{formatBytes(d.freeBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {inv.network.length > 0 && (
        <table className="doc-table">
          <caption>Network</caption>
          <thead>
            <tr>
              <th scope="col">Interface</th>
              <th scope="col">MAC</th>
              <th scope="col">IPv4</th>
            </tr>
          </thead>
          <tbody>
            {inv.network.map((n) => (
              <tr key={n.name}>
                <th scope="row">{n.name}</th>
                <td>{n.mac || '—'}</td>
                <td>{n.ipv4.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>Packages ({inv.packages.length})</summary>
        <ul className="fleet-packages">
          {inv.packages.slice(0, 500).map((p) => (
            <li key={`${p.name}:${p.arch ?? ''}`}>
              {p.name} {p.version}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
