/**
 * IPv4 and IPv6 CIDR ranges as the server accepts them (sync-server parseCidr): an address,
 * optionally `/prefix` (0-32 or 0-128); a bare address means one host.
 */

function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/.test(p));
}

function isIPv6(text: string): boolean {
  const address = text.replace(/%[0-9A-Za-z._~-]+$/, ''); // zone id (fe80::1%eth0)
  if (!/^[0-9A-Fa-f:.]+$/.test(address)) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (half: string | undefined) => (half ? half.split(':') : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const all = [...head, ...tail];
  // An embedded IPv4 address (::ffff:192.0.2.1) may end the address and counts as two groups.
  const last = all.at(-1);
  let groups = all.length;
  if (last?.includes('.')) {
    if (!isIPv4(last)) return false;
    all.pop();
    groups += 1;
  }
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups <= 7 : groups === 8;
}

export type CidrCheck = { ok: true; family: 4 | 6 } | { ok: false; reason: string };

export function checkCidr(input: string): CidrCheck {
  const text = input.trim();
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefix = slash < 0 ? undefined : text.slice(slash + 1);
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : 0;
  if (family === 0) return { ok: false, reason: 'is not an IPv4 or IPv6 address' };
  const max = family === 4 ? 32 : 128;
  if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)) {
    return { ok: false, reason: `has an invalid prefix length (use /0 to /${max})` };
  }
  return { ok: true, family };
}

export interface CidrLineProblem {
  /** 1-based line number in the text area. */
  line: number;
  text: string;
  message: string;
}

/** The non-empty lines of the text area, trimmed. */
export function cidrLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Every line that is not a valid CIDR range, with its line number (empty lines are skipped). */
export function cidrProblems(text: string): CidrLineProblem[] {
  const out: CidrLineProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const check = checkCidr(line);
    if (!check.ok) out.push({ line: i + 1, text: line, message: `Line ${i + 1}: “${line}” ${check.reason}.` });
  });
  return out;
}
