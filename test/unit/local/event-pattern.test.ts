import { describe, expect, it } from 'vitest';
import {
  assertValidEventPattern,
  type EventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
} from '../../../scripts/local/event-pattern.ts';

const event = {
  version: '0',
  id: 'e1',
  'detail-type': 'Lead Qualified',
  source: 'leadline.pipeline',
  account: '000000000000',
  time: '2025-03-04T05:06:07Z',
  region: 'us-east-1',
  resources: ['arn:aws:a', 'arn:aws:b'],
  detail: {
    leadId: 'L-1',
    channel: 'sms',
    intent: 'new_lead',
    score: 72,
    ratio: 0.5,
    empty: '',
    nothing: null,
    flag: true,
    tags: ['vip', 'Returning'],
    ip: '10.0.0.33',
    ip6: '2001:db8::ff00:42:8329',
    file: 'Photo.PNG',
    nested: { deeper: { value: 'x' } },
    contacts: [
      { kind: 'phone', primary: true },
      { kind: 'email', primary: false },
    ],
  },
};

type Case = [name: string, pattern: EventPattern, expected: boolean];

const cases: Case[] = [
  // exact values
  ['an exact string matches', { source: ['leadline.pipeline'] }, true],
  ['an exact string is case-sensitive', { source: ['LEADLINE.pipeline'] }, false],
  ['a list of values is OR', { 'detail-type': ['Lead Scored', 'Lead Qualified'] }, true],
  ['all fields must match (AND)', { source: ['leadline.pipeline'], 'detail-type': ['Lead Scored'] }, false],
  ['a number matches numerically', { detail: { score: [72] } }, true],
  ['a number does not match its string form', { detail: { score: ['72'] } }, false],
  ['a boolean matches', { detail: { flag: [true] } }, true],
  ['nested objects match', { detail: { nested: { deeper: { value: ['x'] } } } }, true],
  ['nested objects fail on a different value', { detail: { nested: { deeper: { value: ['y'] } } } }, false],
  // null vs ""
  ['null matches a null field', { detail: { nothing: [null] } }, true],
  ['"" does not match a null field', { detail: { nothing: [''] } }, false],
  ['"" matches an empty string', { detail: { empty: [''] } }, true],
  ['null does not match an empty string', { detail: { empty: [null] } }, false],
  ['null does not match a missing field', { detail: { absent: [null] } }, false],
  // missing fields
  ['a value filter never matches a missing field', { detail: { absent: ['x'] } }, false],
  ['a pattern on a missing object does not match', { missing: { field: ['x'] } }, false],
  ['a leaf pattern on an object-valued field does not match', { detail: { nested: ['x'] } }, false],
  // arrays in the event
  ['an array field matches when any element matches', { resources: ['arn:aws:b'] }, true],
  ['an array field fails when no element matches', { resources: ['arn:aws:c'] }, false],
  ['a nested pattern matches inside an array element', { detail: { contacts: { kind: ['email'] } } }, true],
  [
    'nested fields must match within the same array element',
    { detail: { contacts: { kind: ['email'], primary: [true] } } },
    false,
  ],
  [
    'nested fields matching one array element match',
    { detail: { contacts: { kind: ['phone'], primary: [true] } } },
    true,
  ],
  // prefix / suffix
  ['prefix matches', { time: [{ prefix: '2025-03' }] }, true],
  ['prefix fails on a different prefix', { time: [{ prefix: '2024' }] }, false],
  ['prefix ignores non-string values', { detail: { score: [{ prefix: '7' }] } }, false],
  [
    'prefix with equals-ignore-case matches',
    { source: [{ prefix: { 'equals-ignore-case': 'LEADLINE.' } }] },
    true,
  ],
  ['suffix matches', { detail: { file: [{ suffix: '.PNG' }] } }, true],
  ['suffix is case-sensitive', { detail: { file: [{ suffix: '.png' }] } }, false],
  [
    'suffix with equals-ignore-case matches',
    { detail: { file: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    true,
  ],
  // anything-but
  ['anything-but a value matches other values', { detail: { channel: [{ 'anything-but': 'email' }] } }, true],
  ['anything-but a value fails on that value', { detail: { channel: [{ 'anything-but': 'sms' }] } }, false],
  [
    'anything-but a list fails on a listed value',
    { detail: { channel: [{ 'anything-but': ['email', 'sms'] }] } },
    false,
  ],
  [
    'anything-but a number list matches other numbers',
    { detail: { score: [{ 'anything-but': [1, 2, 3] }] } },
    true,
  ],
  ['anything-but a number fails on that number', { detail: { score: [{ 'anything-but': 72 }] } }, false],
  ['anything-but does not match a missing field', { detail: { absent: [{ 'anything-but': 'x' }] } }, false],
  [
    'anything-but on an array matches when any element differs',
    { resources: [{ 'anything-but': 'arn:aws:a' }] },
    true,
  ],
  ['anything-but prefix matches', { detail: { intent: [{ 'anything-but': { prefix: 'spam' } }] } }, true],
  [
    'anything-but prefix fails on that prefix',
    { detail: { intent: [{ 'anything-but': { prefix: 'new' } }] } },
    false,
  ],
  [
    'anything-but suffix fails on that suffix',
    { detail: { file: [{ 'anything-but': { suffix: '.PNG' } }] } },
    false,
  ],
  [
    'anything-but equals-ignore-case fails on a case variant',
    { detail: { channel: [{ 'anything-but': { 'equals-ignore-case': ['SMS', 'EMAIL'] } }] } },
    false,
  ],
  [
    'anything-but equals-ignore-case matches others',
    { detail: { channel: [{ 'anything-but': { 'equals-ignore-case': 'EMAIL' } }] } },
    true,
  ],
  [
    'anything-but wildcard fails on a match',
    { detail: { file: [{ 'anything-but': { wildcard: '*.PNG' } }] } },
    false,
  ],
  // equals-ignore-case
  ['equals-ignore-case matches', { detail: { channel: [{ 'equals-ignore-case': 'SMS' }] } }, true],
  [
    'equals-ignore-case fails on another value',
    { detail: { channel: [{ 'equals-ignore-case': 'EMAIL' }] } },
    false,
  ],
  [
    'equals-ignore-case matches an array element',
    { detail: { tags: [{ 'equals-ignore-case': 'returning' }] } },
    true,
  ],
  // numeric
  ['numeric range matches', { detail: { score: [{ numeric: ['>', 0, '<=', 72] }] } }, true],
  ['numeric range excludes an open bound', { detail: { score: [{ numeric: ['>', 72] }] } }, false],
  ['numeric with only an upper bound matches', { detail: { ratio: [{ numeric: ['<', 1] }] } }, true],
  ['numeric >= is inclusive', { detail: { score: [{ numeric: ['>=', 72, '<', 100] }] } }, true],
  ['numeric = matches', { detail: { score: [{ numeric: ['=', 72] }] } }, true],
  ['numeric = fails on another number', { detail: { score: [{ numeric: ['=', 71.9] }] } }, false],
  ['numeric ignores strings', { detail: { leadId: [{ numeric: ['>', 0] }] } }, false],
  ['numeric on a missing field fails', { detail: { absent: [{ numeric: ['>', 0] }] } }, false],
  // exists
  ['exists true matches a present leaf', { detail: { leadId: [{ exists: true }] } }, true],
  ['exists true matches a null leaf', { detail: { nothing: [{ exists: true }] } }, true],
  ['exists true fails on a missing field', { detail: { absent: [{ exists: true }] } }, false],
  ['exists false matches a missing field', { detail: { absent: [{ exists: false }] } }, true],
  ['exists false fails on a present leaf', { detail: { leadId: [{ exists: false }] } }, false],
  ['exists true fails on an object (leaf only)', { detail: { nested: [{ exists: true }] } }, false],
  ['exists false matches an object (not a leaf)', { detail: { nested: [{ exists: false }] } }, true],
  ['exists false matches inside a missing parent', { nowhere: { deeper: [{ exists: false }] } }, true],
  // wildcard
  ['wildcard matches', { source: [{ wildcard: 'leadline.*' }] }, true],
  ['wildcard matches with a star in the middle', { detail: { file: [{ wildcard: 'Ph*.PNG' }] } }, true],
  ['wildcard fails when the pattern does not fit', { source: [{ wildcard: '*.inbound' }] }, false],
  ['an escaped wildcard star is literal', { detail: { file: [{ wildcard: 'Photo\\*' }] } }, false],
  // cidr
  ['cidr matches an IPv4 address', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, true],
  ['cidr fails outside the range', { detail: { ip: [{ cidr: '10.0.1.0/24' }] } }, false],
  ['cidr matches an IPv6 address', { detail: { ip6: [{ cidr: '2001:db8::/32' }] } }, true],
  ['cidr ignores a non-IP string', { detail: { leadId: [{ cidr: '0.0.0.0/0' }] } }, false],
  // $or
  [
    '$or matches when one branch matches',
    {
      source: ['leadline.pipeline'],
      $or: [{ detail: { score: [{ numeric: ['>', 90] }] } }, { detail: { flag: [true] } }],
    },
    true,
  ],
  [
    '$or fails when no branch matches',
    { $or: [{ detail: { score: [{ numeric: ['>', 90] }] } }, { detail: { flag: [false] } }] },
    false,
  ],
  [
    '$or works inside a nested object',
    { detail: { $or: [{ channel: ['email'] }, { intent: ['new_lead'] }] } },
    true,
  ],
  [
    'a $or nested inside a $or branch matches',
    {
      $or: [
        { source: ['other'] },
        { detail: { channel: ['sms'], $or: [{ score: [1] }, { tags: ['vip'] }] } },
      ],
    },
    true,
  ],
  // several matchers in one leaf are OR
  ['matchers in a leaf are OR', { detail: { channel: ['email', { prefix: 'sm' }] } }, true],
  [
    'exists false or a value fails on another present value',
    { detail: { channel: [{ exists: false }, 'email'] } },
    false,
  ],
];

describe('matchesEventPattern', () => {
  it.each(cases)('%s', (_name, pattern, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  it('matches an empty event array field as if missing', () => {
    expect(matchesEventPattern({ tags: [{ exists: false }] }, { tags: [] })).toBe(true);
    expect(matchesEventPattern({ tags: ['x'] }, { tags: [] })).toBe(false);
  });

  it('matches an IPv4-mapped IPv6 address and a bare IP cidr', () => {
    expect(matchesEventPattern({ ip: [{ cidr: '::ffff:10.0.0.0/120' }] }, { ip: '::ffff:10.0.0.7' })).toBe(
      true,
    );
    expect(matchesEventPattern({ ip: [{ cidr: '10.0.0.7' }] }, { ip: '10.0.0.7' })).toBe(true);
  });

  it('matches a literal star with an escaped wildcard', () => {
    expect(matchesEventPattern({ a: [{ wildcard: 'x\\*y*' }] }, { a: 'x*yz' })).toBe(true);
    expect(matchesEventPattern({ a: [{ wildcard: 'x\\*y*' }] }, { a: 'xay' })).toBe(false);
  });

  it('does not match a non-object event', () => {
    expect(matchesEventPattern({ a: ['x'] }, null)).toBe(false);
    expect(matchesEventPattern({ a: ['x'] }, 'x')).toBe(false);
  });
});

describe('assertValidEventPattern', () => {
  const invalid: [string, unknown][] = [
    ['a non-object pattern', ['x']],
    ['an empty pattern', {}],
    ['a non-array leaf', { source: 'leadline.pipeline' }],
    ['an empty leaf array', { source: [] }],
    ['an unknown operator', { source: [{ startsWith: 'x' }] }],
    ['two operators in one matcher', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['a non-string prefix', { source: [{ prefix: 1 }] }],
    ['an unknown numeric operator', { n: [{ numeric: ['!=', 1] }] }],
    ['a numeric without operands', { n: [{ numeric: ['>'] }] }],
    ['a numeric with a string operand', { n: [{ numeric: ['>', '1'] }] }],
    ['a numeric with crossed bounds', { n: [{ numeric: ['>', 5, '<', 1] }] }],
    ['a numeric "=" combined with a bound', { n: [{ numeric: ['=', 5, '<', 1] }] }],
    ['a non-boolean exists', { n: [{ exists: 'yes' }] }],
    ['a mixed anything-but list', { n: [{ 'anything-but': ['a', 1] }] }],
    ['an unknown anything-but operator', { n: [{ 'anything-but': { numeric: ['>', 1] } }] }],
    ['consecutive wildcards', { n: [{ wildcard: 'a**b' }] }],
    ['a bad wildcard escape', { n: [{ wildcard: 'a\\b' }] }],
    ['a bad cidr', { n: [{ cidr: '10.0.0.0/33' }] }],
    ['a $or with one branch', { $or: [{ a: ['x'] }] }],
    ['a $or that is not an array', { $or: { a: ['x'] } }],
    ['a nested object leaf value', { detail: { a: 5 } }],
  ];

  it.each(invalid)('rejects %s', (_name, pattern) => {
    expect(() => assertValidEventPattern(pattern)).toThrow(InvalidEventPatternError);
  });

  it('names the offending path and operator in the error', () => {
    expect(() => assertValidEventPattern({ detail: { channel: [{ begins: 'x' }] } })).toThrow(
      /\$\.detail\.channel\[0\]: unknown operator "begins"/,
    );
  });

  it('accepts every supported operator', () => {
    expect(() =>
      assertValidEventPattern({
        source: ['a', null, 1, true, ''],
        detail: {
          a: [{ prefix: 'x' }, { prefix: { 'equals-ignore-case': 'x' } }, { suffix: 'x' }],
          b: [{ 'anything-but': 'x' }, { 'anything-but': [1, 2] }, { 'anything-but': { prefix: 'x' } }],
          c: [{ 'equals-ignore-case': 'x' }, { numeric: ['>', 0, '<=', 5] }, { numeric: ['=', 1] }],
          d: [{ exists: true }, { wildcard: 'a*b' }, { cidr: '10.0.0.0/8' }, { cidr: '2001:db8::/32' }],
          $or: [{ e: ['1'] }, { f: ['2'] }],
        },
      }),
    ).not.toThrow();
  });
});
