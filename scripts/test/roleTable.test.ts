import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withRoleTable } from '../roleTable.js';

describe('README role table', () => {
  it('is the one generated from the role data the code enforces (run npm run docs:roles)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withRoleTable(readme));
    expect(readme).toContain('| `jobs.create` |');
  });
});
