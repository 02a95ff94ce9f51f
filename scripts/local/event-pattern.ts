/**
 * EventBridge event-pattern matching (content filtering) for the local bus.
 *
 * Semantics follow the EventBridge user guide and aws/event-ruler (`rulesForJSONEvent`):
 * - a pattern is an object; every field named in it must match (AND), fields not named are ignored;
 * - a leaf is an array of matchers, any of which may match (OR);
 * - an event field holding an array matches when ANY element matches; a nested pattern applied to an
 *   array of objects must match within one element (array-consistent matching);
 * - `null` and `""` are different values; a field missing from the event never matches a value
 *   filter (nor `anything-but`); only `{ exists: false }` matches a missing field;
 * - `exists` works on leaf fields only: an object-valued field does not "exist" as a leaf;
 * - `$or` (an array of at least two sub-patterns) may appear at any level.
 *
 * Patterns are compiled once (and cached per pattern object), which also validates them.
 */

export type PatternLiteral = string | number | boolean | null;

type IgnoreCase = { readonly 'equals-ignore-case': string };

export type AnythingBut =
  | string
  | number
  | readonly (string | number)[]
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly 'equals-ignore-case': string | readonly string[] }
  | { readonly wildcard: string | readonly string[] };

/** One element of a leaf array. */
export type PatternMatcher =
  | PatternLiteral
  | { readonly prefix: string | IgnoreCase }
  | { readonly suffix: string | IgnoreCase }
  | { readonly 'anything-but': AnythingBut }
  | { readonly 'equals-ignore-case': string }
  | { readonly numeric: readonly (string | number)[] }
  | { readonly exists: boolean }
  | { readonly wildcard: string }
  | { readonly cidr: string };

/**
 * An EventBridge event pattern. Field values are nested patterns or leaf arrays of matchers; the
 * `$or` key holds an array of sub-patterns.
 */
export interface EventPattern {
  readonly [field: string]: EventPattern | readonly PatternMatcher[] | readonly EventPattern[];
}

export class InvalidEventPatternError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`Event pattern is not valid at ${path}: ${message}`);
    this.name = 'InvalidEventPatternError';
  }
}

/** Throws {@link InvalidEventPatternError} when the pattern is malformed. */
export function assertValidEventPattern(pattern: unknown): asserts pattern is EventPattern {
  compile(pattern);
}

/** True when `event` matches `pattern` under EventBridge semantics. Throws if the pattern is malformed. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return compile(pattern)(event);
}

// ---------------------------------------------------------------------------------------------

type NodePredicate = (value: unknown) => boolean;
type LeafPredicate = (leaf: Leaf) => boolean;
type Leaf = string | number | boolean | null;

const cache = new WeakMap<object, NodePredicate>();

function compile(pattern: unknown): NodePredicate {
  if (isPlainObject(pattern)) {
    const hit = cache.get(pattern);
    if (hit) return hit;
  }
  const predicate = compileObject(pattern, '$');
  cache.set(pattern as object, predicate);
  return predicate;
}

function compileObject(pattern: unknown, path: string): NodePredicate {
  if (!isPlainObject(pattern)) throw new InvalidEventPatternError('a pattern must be a JSON object', path);
  const entries = Object.entries(pattern);
  if (entries.length === 0) throw new InvalidEventPatternError('empty objects are not allowed', path);

  const fields: { key: string; test: NodePredicate }[] = [];
  const ors: NodePredicate[][] = [];
  for (const [key, value] of entries) {
    const childPath = `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) {
        throw new InvalidEventPatternError('$or must be an array of at least two patterns', childPath);
      }
      ors.push(value.map((sub, i) => compileObject(sub, `${childPath}[${i}]`)));
    } else if (Array.isArray(value)) {
      fields.push({ key, test: compileLeaf(value, childPath) });
    } else if (isPlainObject(value)) {
      fields.push({ key, test: compileObject(value, childPath) });
    } else {
      throw new InvalidEventPatternError(
        `field values must be arrays of matchers or nested patterns, got ${describe(value)}`,
        childPath,
      );
    }
  }

  const matchHere = (value: unknown): boolean => {
    const obj = isPlainObject(value) ? value : undefined;
    for (const { key, test } of fields) {
      const child = obj && Object.hasOwn(obj, key) ? obj[key] : undefined;
      if (!test(child)) return false;
    }
    for (const alternatives of ors) {
      if (!alternatives.some((alt) => alt(value))) return false;
    }
    return true;
  };

  const self: NodePredicate = (value) => {
    if (Array.isArray(value)) {
      return value.length === 0 ? matchHere(undefined) : value.some((element) => self(element));
    }
    return matchHere(value);
  };
  return self;
}

function compileLeaf(matchers: readonly unknown[], path: string): NodePredicate {
  if (matchers.length === 0) throw new InvalidEventPatternError('empty arrays are not allowed', path);
  const valueTests: LeafPredicate[] = [];
  let existsTrue = false;
  let existsFalse = false;
  matchers.forEach((matcher, i) => {
    const at = `${path}[${i}]`;
    if (isPlainObject(matcher) && Object.keys(matcher).length === 1 && 'exists' in matcher) {
      if (typeof matcher.exists !== 'boolean') {
        throw new InvalidEventPatternError('exists takes true or false', at);
      }
      if (matcher.exists) existsTrue = true;
      else existsFalse = true;
      return;
    }
    valueTests.push(compileMatcher(matcher, at));
  });

  return (value) => {
    const leaves = leavesOf(value);
    if (leaves.length === 0) return existsFalse;
    if (existsTrue) return true;
    return leaves.some((leaf) => valueTests.some((test) => test(leaf)));
  };
}

function compileMatcher(matcher: unknown, path: string): LeafPredicate {
  if (matcher === null || typeof matcher === 'string' || typeof matcher === 'boolean') {
    return (leaf) => leaf === matcher;
  }
  if (typeof matcher === 'number') {
    assertFiniteNumber(matcher, path);
    return (leaf) => leaf === matcher;
  }
  if (!isPlainObject(matcher)) {
    throw new InvalidEventPatternError(`unsupported matcher ${describe(matcher)}`, path);
  }
  const keys = Object.keys(matcher);
  const [op] = keys;
  if (keys.length !== 1 || op === undefined) {
    throw new InvalidEventPatternError(
      `a matcher object must have exactly one operator, got ${JSON.stringify(keys)}`,
      path,
    );
  }
  const arg = matcher[op];
  const at = `${path}.${op}`;
  switch (op) {
    case 'prefix':
      return compileAffix(arg, at, 'prefix');
    case 'suffix':
      return compileAffix(arg, at, 'suffix');
    case 'equals-ignore-case': {
      const expected = requireString(arg, at).toLowerCase();
      return (leaf) => typeof leaf === 'string' && leaf.toLowerCase() === expected;
    }
    case 'anything-but':
      return compileAnythingBut(arg, at);
    case 'numeric':
      return compileNumeric(arg, at);
    case 'wildcard': {
      const regex = wildcardToRegExp(requireString(arg, at), at);
      return (leaf) => typeof leaf === 'string' && regex.test(leaf);
    }
    case 'cidr':
      return compileCidr(arg, at);
    default:
      throw new InvalidEventPatternError(`unknown operator "${op}"`, path);
  }
}

function compileAffix(arg: unknown, path: string, kind: 'prefix' | 'suffix'): LeafPredicate {
  let expected: string;
  let ignoreCase = false;
  if (typeof arg === 'string') {
    expected = arg;
  } else if (isPlainObject(arg) && Object.keys(arg).length === 1 && 'equals-ignore-case' in arg) {
    expected = requireString(arg['equals-ignore-case'], `${path}.equals-ignore-case`).toLowerCase();
    ignoreCase = true;
  } else {
    throw new InvalidEventPatternError(
      `${kind} takes a string or { "equals-ignore-case": string }, got ${describe(arg)}`,
      path,
    );
  }
  return (leaf) => {
    if (typeof leaf !== 'string') return false;
    const value = ignoreCase ? leaf.toLowerCase() : leaf;
    return kind === 'prefix' ? value.startsWith(expected) : value.endsWith(expected);
  };
}

/** anything-but never matches a missing field (handled by the caller: no leaves, no match). */
function compileAnythingBut(arg: unknown, path: string): LeafPredicate {
  if (typeof arg === 'string' || typeof arg === 'number') {
    if (typeof arg === 'number') assertFiniteNumber(arg, path);
    return (leaf) => leaf !== arg;
  }
  if (Array.isArray(arg)) {
    if (arg.length === 0) throw new InvalidEventPatternError('anything-but list must not be empty', path);
    const allStrings = arg.every((v) => typeof v === 'string');
    const allNumbers = arg.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!allStrings && !allNumbers) {
      throw new InvalidEventPatternError('anything-but list must hold only strings or only numbers', path);
    }
    const excluded = new Set<unknown>(arg);
    return (leaf) => !excluded.has(leaf);
  }
  if (isPlainObject(arg)) {
    const keys = Object.keys(arg);
    const [op] = keys;
    if (keys.length !== 1 || op === undefined) {
      throw new InvalidEventPatternError('anything-but object must have exactly one operator', path);
    }
    const at = `${path}.${op}`;
    const values = stringOrStrings(arg[op], at);
    switch (op) {
      case 'prefix':
        return (leaf) => typeof leaf !== 'string' || !values.some((p) => leaf.startsWith(p));
      case 'suffix':
        return (leaf) => typeof leaf !== 'string' || !values.some((s) => leaf.endsWith(s));
      case 'equals-ignore-case': {
        const lowered = new Set(values.map((v) => v.toLowerCase()));
        return (leaf) => typeof leaf !== 'string' || !lowered.has(leaf.toLowerCase());
      }
      case 'wildcard': {
        const regexes = values.map((v) => wildcardToRegExp(v, at));
        return (leaf) => typeof leaf !== 'string' || !regexes.some((r) => r.test(leaf));
      }
      default:
        throw new InvalidEventPatternError(`unknown anything-but operator "${op}"`, path);
    }
  }
  throw new InvalidEventPatternError(`anything-but does not take ${describe(arg)}`, path);
}

const LOWER_OPS = new Set(['>', '>=']);
const UPPER_OPS = new Set(['<', '<=']);

function compileNumeric(arg: unknown, path: string): LeafPredicate {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) {
    throw new InvalidEventPatternError('numeric takes [operator, number, ...] pairs', path);
  }
  let lower: { op: string; value: number } | undefined;
  let upper: { op: string; value: number } | undefined;
  let equals: number | undefined;
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const value = arg[i + 1];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidEventPatternError(
        `numeric operand must be a finite number, got ${describe(value)}`,
        path,
      );
    }
    if (op === '=') {
      if (arg.length !== 2) throw new InvalidEventPatternError('numeric "=" cannot be combined', path);
      equals = value;
    } else if (typeof op === 'string' && LOWER_OPS.has(op)) {
      if (lower) throw new InvalidEventPatternError('numeric has two lower bounds', path);
      lower = { op, value };
    } else if (typeof op === 'string' && UPPER_OPS.has(op)) {
      if (upper) throw new InvalidEventPatternError('numeric has two upper bounds', path);
      upper = { op, value };
    } else {
      throw new InvalidEventPatternError(`unknown numeric operator ${describe(op)}`, path);
    }
  }
  if (lower && upper && lower.value > upper.value) {
    throw new InvalidEventPatternError('numeric lower bound is above the upper bound', path);
  }
  return (leaf) => {
    if (typeof leaf !== 'number') return false;
    if (equals !== undefined) return leaf === equals;
    if (lower && !(lower.op === '>' ? leaf > lower.value : leaf >= lower.value)) return false;
    if (upper && !(upper.op === '<' ? leaf < upper.value : leaf <= upper.value)) return false;
    return true;
  };
}

function wildcardToRegExp(pattern: string, path: string): RegExp {
  let source = '';
  let previousWasStar = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') {
        throw new InvalidEventPatternError('in a wildcard, a backslash may only escape * or \\', path);
      }
      source += escapeRegExp(next);
      i++;
      previousWasStar = false;
    } else if (ch === '*') {
      if (previousWasStar) throw new InvalidEventPatternError('consecutive wildcard characters', path);
      source += '.*';
      previousWasStar = true;
    } else {
      source += escapeRegExp(ch);
      previousWasStar = false;
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function compileCidr(arg: unknown, path: string): LeafPredicate {
  const text = requireString(arg, path);
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const parsed = parseIp(address);
  if (!parsed) throw new InvalidEventPatternError(`invalid IP address in cidr "${text}"`, path);
  const bits = parsed.version === 4 ? 32 : 128;
  const prefixLength = slash === -1 ? bits : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > bits || text.endsWith('/')) {
    throw new InvalidEventPatternError(`invalid prefix length in cidr "${text}"`, path);
  }
  const shift = BigInt(bits - prefixLength);
  const network = parsed.value >> shift;
  return (leaf) => {
    if (typeof leaf !== 'string') return false;
    const ip = parseIp(leaf);
    return ip !== undefined && ip.version === parsed.version && ip.value >> shift === network;
  };
}

function parseIp(text: string): { version: 4 | 6; value: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  if (!text.includes(':')) return undefined;
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = toGroups(halves[0]);
  const right = toGroups(halves[1]);
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return { version: 6, value };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------

/** The leaf values at a node: arrays are flattened, objects are not leaves, missing gives none. */
function leavesOf(value: unknown): Leaf[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return [value];
  }
  return [];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string')
    throw new InvalidEventPatternError(`expected a string, got ${describe(value)}`, path);
  return value;
}

function stringOrStrings(value: unknown, path: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value;
  throw new InvalidEventPatternError(
    `expected a string or a non-empty list of strings, got ${describe(value)}`,
    path,
  );
}

function assertFiniteNumber(value: number, path: string): void {
  if (!Number.isFinite(value)) throw new InvalidEventPatternError('numbers must be finite', path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : JSON.stringify(value);
}
