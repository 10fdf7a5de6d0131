/** This printer's commands, newest first: pending → acknowledged → succeeded / failed (with the reason). */
import type { Command } from '@fleetsync/shared';
import { formatWhen } from '../common/format.js';
import { useQuery } from '../common/useQuery.js';
import { ACTION_TEXT, COMMAND_TTL_MS } from './issueCommand.js';

const STATE_TEXT: Record<Command['status'], string> = {
  pending: 'Pending – waiting for the printer',
  acknowledged: 'Acknowledged – running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  expired: 'Expired – not run',
};

function paramsText(c: Command): string {
  if (c.action === 'set_temperature') {
    const parts = [];
    if (c.params.nozzle !== undefined) parts.push(`nozzle ${String(c.params.nozzle)} °C`);
    if (c.params.bed !== undefined) parts.push(`bed ${String(c.params.bed)} °C`);
    return parts.join(', ');
  }
  return Object.entries(c.params)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
}

const issuedAt = (c: Command) => c.createdAt ?? new Date(Date.parse(c.expiresAt) - COMMAND_TTL_MS).toISOString();

export function CommandList({ printerId }: { printerId: string }) {
  const commands = [...useQuery('commands', { targetId: printerId })]
    .sort((a, b) => b.expiresAt.localeCompare(a.expiresAt))
    .slice(0, 15);
  if (commands.length === 0) return <p className="empty">No commands sent to this printer yet.</p>;
  return (
    <ol className="command-list" data-testid="command-list">
      {commands.map((c) => {
        const params = paramsText(c);
        return (
          <li key={c.id} className={`command command-${c.status}`} data-testid={`command-${c.id}`}>
            <p className="command-head">
              <strong>{ACTION_TEXT[c.action] ?? c.action}</strong>
              {params && <span className="muted"> ({params})</span>}
              <span className={`command-state state-${c.status}`}>{STATE_TEXT[c.status]}</span>
            </p>
            {(c.resultCode || c.resultMessage) && (
              <p className="command-result">
                {c.status === 'failed' ? 'Reason: ' : ''}
                {c.resultMessage ?? c.resultCode}
                {c.resultCode && c.resultMessage ? ` (${c.resultCode})` : ''}
              </p>
            )}
            <p className="muted command-time">Sent {formatWhen(issuedAt(c))}</p>
          </li>
        );
      })}
    </ol>
  );
}
