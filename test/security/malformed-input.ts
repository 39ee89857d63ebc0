import fc from 'fast-check';

/** The part of JSON Schema the API document's request schemas use. */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  oneOf?: Schema[];
  anyOf?: Schema[];
}

/**
 * Stands for a number JSON.stringify cannot write (`1e999` parses to Infinity, the long one loses
 * precision): `toJson` puts the literal in its place.
 */
const HUGE_NUMBER = '\u0001huge-number\u0001';
const HUGE_LITERALS = ['1e999', '-1e999', '123456789012345678901234567890', '0.0000000000000000000000000001'];
/** Stands for arrays nested this deep, written as text: building them as values would overflow the stack before the server's. */
const DEEP_NESTING = (depth: number) => `\u0001deep-${depth}\u0001`;

/** Strings that break parsers, encoders, databases and templates. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e\u0041',
  '\ufeff',
  '𝕊𝕙𝕠𝕡 🛒 ñ 漢字',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"; DROP TABLE customers; --',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '%00',
  '%s%n%x',
  'null',
  'NaN',
  '-1',
  '1e309',
];

/** Keys that misbehave in JavaScript objects and query languages. */
const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '$where', '$gt', ''];

export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 10_000, 120_000).map((n) => 'x'.repeat(n)) },
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-1, 0, 0.5, -0.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 2 ** 63, 1e21, -1e21, Number.MAX_VALUE, -Number.MAX_VALUE),
  fc.constant(HUGE_NUMBER),
);

/** Any kind of wrong value: wrong types, huge, unicode, arrays and objects where scalars belong, deep nesting. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }) },
  // Deeper nesting overflows the services' body check: a test of its own covers it.
  { weight: 1, arbitrary: fc.constantFrom(10, 1_000, 10_000).map(DEEP_NESTING) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 20_000 }, () => 1)) },
);

/** A value the schema accepts. */
export function validValue(schema: Schema): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives && !schema.properties) return fc.oneof(...alternatives.map(validValue));
  switch (schema.type) {
    case 'object':
      return objectOf(schema, validValue, false);
    case 'array':
      return fc.array(validValue(schema.items ?? {}), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return validString(schema);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function validString(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid({ version: 4 });
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) });
}

/** Values at and just past the schema's edges: out of range, too long, almost a UUID. */
export function edgeValue(schema: Schema): fc.Arbitrary<unknown> {
  const edges: unknown[] = [];
  if (schema.type === 'integer' || schema.type === 'number') {
    edges.push(0, -1, 1.5, '12', '');
    if (schema.minimum !== undefined) edges.push(schema.minimum - 1);
    if (schema.maximum !== undefined) edges.push(schema.maximum + 1, schema.maximum * 1000);
  }
  if (schema.type === 'string') {
    edges.push('', 12, true);
    if (schema.maxLength !== undefined) edges.push('a'.repeat(schema.maxLength + 1));
    if (schema.format === 'uuid') edges.push('00000000-0000-0000-0000-000000000000', 'not-a-uuid', 'ffffffff-ffff-ffff-ffff-fffffffffffff', '6ba7b810-9dad-11d1-80b4-00c04fd430c8 ');
    if (schema.format === 'date-time') edges.push('2024-02-30T00:00:00Z', '0000-00-00', '99999-01-01T00:00:00Z', 'yesterday');
  }
  if (schema.type === 'object') edges.push({}, [], 'object');
  if (schema.type === 'array') edges.push([], {}, Array.from({ length: (schema.maxItems ?? 100) + 1 }, () => ({})));
  return edges.length ? fc.constantFrom(...edges) : nastyValue;
}

/** Mostly the right shape with wrong parts: a field of the wrong type, one missing, one unknown, one too big. */
export function malformedValue(schema: Schema): fc.Arbitrary<unknown> {
  const structured = schema.type === 'object' && schema.properties ? objectOf(schema, malformedValue, true) : validValue(schema);
  return fc.oneof({ weight: 4, arbitrary: structured }, { weight: 2, arbitrary: edgeValue(schema) }, { weight: 1, arbitrary: nastyValue });
}

/**
 * An object of the schema's properties, each from `part`; required ones present most of the time,
 * optional ones now and then; with `unknownFields`, now and then a field no schema names (also
 * `__proto__` and friends, as own properties, the way JSON.parse makes them).
 */
function objectOf(schema: Schema, part: (s: Schema) => fc.Arbitrary<unknown>, unknownFields: boolean): fc.Arbitrary<unknown> {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const present = part(property).map((value) => [name, value] as const);
    if (required.has(name) && !unknownFields) return present;
    return fc.oneof({ weight: required.has(name) ? 9 : 3, arbitrary: present }, { weight: 1, arbitrary: fc.constant(undefined) });
  });
  const extra = unknownFields
    ? fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 10 })), nastyValue), { maxLength: 2 }) })
    : fc.constant([]);
  return fc.tuple(fc.tuple(...fields), extra).map(([present, unknown]) => {
    const object: Record<string, unknown> = {};
    for (const [name, value] of [...present.filter((f) => f !== undefined), ...unknown]) {
      Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return object;
  });
}

/** The JSON text of a generated value, with the literals JSON.stringify cannot write. */
export function toJson(value: unknown): string {
  let literal = 0;
  return JSON.stringify(value)
    .replace(/"\\u0001huge-number\\u0001"/g, () => HUGE_LITERALS[literal++ % HUGE_LITERALS.length] as string)
    .replace(/"\\u0001deep-(\d+)\\u0001"/g, (_, depth: string) => `${'['.repeat(Number(depth))}${']'.repeat(Number(depth))}`);
}

/** Bodies that are not the JSON the route expects at all. */
export const brokenBody = fc.constantFrom(
  '{',
  '{"a":',
  '[]',
  'null',
  '"text"',
  '1e999',
  'true',
  '{"a":1,"a":2}',
  '\ufeff{}',
  '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"role":"admin"}}}',
  '\u0000',
  'a=1&b=2',
);

/** A percent-encoded path segment or query value: every byte outside the unreserved set escaped. */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** What a path segment or query value can be on the wire: escapes that decode to nothing good, or nothing at all. */
export const rawEscapes = fc.constantFrom('%ff', '%c0%af', '%00', '%2e%2e', '..', '.', '%2f', '%', '%zz', '%u0041', '%25');
