/** fast-check generators of device messages that are wrong in every way a device (or attacker) can be wrong. */
import fc from 'fast-check';

/** Anything JSON can carry, plus the values devices really send where numbers belong. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('28', '0.4', '-70dBm', '', ' ', 'NaN', 'Infinity', '1e400', '-1e400', '0x10', '__proto__'),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER, -1, 0, 101, 1e9, 0.000001),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 500 }),
  fc.constant('x'.repeat(200_000)),
);

export function shapedRecord(
  keys: readonly string[],
  value: fc.Arbitrary<unknown> = hostileValue,
): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length });
}

/** Raw text: JSON of a shaped message, random JSON, or not JSON at all. */
export function rawMessage(shaped: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: shaped.map((m) => JSON.stringify(m)) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
    { weight: 1, arbitrary: shaped.map((m) => JSON.stringify(m).slice(0, -1)) },
  );
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
