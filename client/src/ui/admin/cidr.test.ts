import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkCidr, cidrLines, cidrProblems } from './cidr.js';

const valid = [
  '10.0.0.0/8',
  '192.168.1.7',
  '0.0.0.0/0',
  '255.255.255.255/32',
  '::1',
  '::/0',
  '2001:db8::/32',
  '2001:0db8:0000:0000:0000:ff00:0042:8329/128',
  'fe80::1%eth0',
  '::ffff:192.0.2.1/128',
  '1:2:3:4:5:6:7::',
  '::2:3:4:5:6:7:8',
  '1:2:3:4:5:6:192.0.2.1',
];
const invalid = [
  '',
  'localhost',
  '10.0.0/8',
  '256.1.1.1',
  '01.2.3.4',
  '10.0.0.0/33',
  '10.0.0.0/',
  '10.0.0.0/-1',
  '10.0.0.0/8/8',
  '10.0.0.0/ 8',
  '2001:db8::/129',
  '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7',
  '1::2::3',
  '12345::',
  'gggg::',
  '::ffff:999.0.2.1',
  '1:2:3:4:5:6:7:192.0.2.1',
];

describe('checkCidr', () => {
  it.each(valid)('accepts %s', (c) => expect(checkCidr(c)).toMatchObject({ ok: true }));
  it.each(invalid)('refuses %s', (c) => expect(checkCidr(c).ok).toBe(false));

  it('names the family', () => {
    expect(checkCidr('10.1.2.3/16')).toEqual({ ok: true, family: 4 });
    expect(checkCidr('2001:db8::/48')).toEqual({ ok: true, family: 6 });
  });

  it('agrees with node:net on the address part', () => {
    for (const c of [...valid, ...invalid]) {
      const address = c.split('/')[0]!;
      if (c.includes('/') && checkCidr(c).ok === false && isIP(address) !== 0) continue; // the prefix is what is wrong
      expect({ c, ok: checkCidr(c).ok }).toEqual({ c, ok: isIP(address) !== 0 });
    }
  });

  it('explains a wrong prefix with the family maximum', () => {
    expect(checkCidr('10.0.0.0/40')).toEqual({ ok: false, reason: 'has an invalid prefix length (use /0 to /32)' });
    expect(checkCidr('::/200')).toEqual({ ok: false, reason: 'has an invalid prefix length (use /0 to /128)' });
  });
});

describe('cidr lines', () => {
  const text = '10.0.0.0/8\n\n  192.168.0.0/16  \nnot-an-ip\n2001:db8::/32\n10.0.0.0/99\n';

  it('reports each wrong line with its number', () => {
    expect(cidrProblems(text).map((p) => [p.line, p.text])).toEqual([
      [4, 'not-an-ip'],
      [6, '10.0.0.0/99'],
    ]);
    expect(cidrProblems(text)[0]!.message).toBe('Line 4: “not-an-ip” is not an IPv4 or IPv6 address.');
  });

  it('keeps the non-empty lines, trimmed', () => {
    expect(cidrLines(text)).toEqual(['10.0.0.0/8', '192.168.0.0/16', 'not-an-ip', '2001:db8::/32', '10.0.0.0/99']);
    expect(cidrProblems('')).toEqual([]);
  });
});
