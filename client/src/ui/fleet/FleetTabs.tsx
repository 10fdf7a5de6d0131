/** Sub-navigation of the endpoint-fleet screens. */
const TABS = [
  { hash: '#/devices', label: 'Devices', key: 'list' },
  { hash: '#/devices/groups', label: 'Groups', key: 'groups' },
  { hash: '#/devices/deployments', label: 'Deployments', key: 'deployments' },
] as const;

export type FleetTab = (typeof TABS)[number]['key'];

export function FleetTabs({ current }: { current: FleetTab }) {
  return (
    <nav className="fleet-tabs" aria-label="Endpoint fleet">
      <ul>
        {TABS.map((t) => (
          <li key={t.key}>
            <a href={t.hash} aria-current={current === t.key ? 'page' : undefined}>
              {t.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
