/** "Matching devices": the rule evaluated live with the shared evaluator against local devices. */
import type { Device } from '@fleetsync/shared';
import { hostnameOf } from '../deviceInfo.js';
import { evaluateRule, ruleProblems, type RuleNode } from '../sharedFleet.js';

export function matchingDevices(rule: RuleNode, devices: readonly Device[], nowMs = Date.now()): Device[] {
  return devices.filter((d) => evaluateRule(rule, d, nowMs));
}

export function MatchPreview({ rule, devices }: { rule: RuleNode; devices: readonly Device[] }) {
  const problems = ruleProblems(rule);
  const matches = problems.length ? [] : matchingDevices(rule, devices);
  return (
    <section className="match-preview" aria-labelledby="match-h" data-testid="match-preview">
      <h3 id="match-h">Matching devices</h3>
      {problems.length > 0 ? (
        <div role="status">
          <p>The rule is not complete yet:</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : (
        <>
          <p role="status" data-testid="match-count">
            {matches.length} of {devices.length} {devices.length === 1 ? 'device matches' : 'devices match'}
          </p>
          <ul data-testid="match-list">
            {matches.slice(0, 50).map((d) => (
              <li key={d.id}>
                <a href={`#/devices/${encodeURIComponent(d.id)}`}>{hostnameOf(d)}</a>
              </li>
            ))}
          </ul>
          {matches.length > 50 && <p className="muted">and {matches.length - 50} more</p>}
        </>
      )}
    </section>
  );
}
