import type { RouteSpec } from '../../src/http/route-registry.js';
import type { CaseRequest } from './route-cases.js';

/**
 * Hostile variants of a route's valid request, derived from the request and the route's zod schemas
 * (so a route added later gets them without anyone listing it): text PostgreSQL cannot store in every
 * string (and every declared field), 1 MB strings, 40,000-level nesting, extreme numbers, wrong types in
 * nested fields, prototype-pollution keys, malformed percent-encoding, a false Content-Encoding.
 */
export type HostileRequest = {
  label: string;
  /** Path and query exactly as sent (already encoded, possibly malformed on purpose). */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as the body verbatim (content-type application/json). */
  raw?: string;
  /** The field a 400 must name: text PostgreSQL cannot store. */
  unstorableAt?: string;
};

type Path = (string | number)[];
type Leaf = { path: Path; value: unknown };

export const NUL = 'nul\u0000';
export const LONE_SURROGATE = '\ud800lone';
const MALFORMED_ENCODINGS: [string, string][] = [['%ZZ', 'not hex'], ['%E0%A4%A', 'truncated'], ['%ED%A0%80', 'encoded lone surrogate'], ['%C0%AF', 'overlong']];
const EXTREME_NUMBERS: [number, string][] = [[1e308, 'huge'], [-1, 'negative'], [-1e308, 'hugely negative'], [Number.MAX_SAFE_INTEGER + 2, 'beyond safe integers'], [0.5, 'fractional']];

function leaves(value: unknown, path: Path = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, [...path, index]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  return [{ path, value }];
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[head!] = setAt(copy[head!], rest, value);
  return copy;
}

const wrongTypeFor = (value: unknown): unknown =>
  typeof value === 'string' ? 12345 : typeof value === 'number' ? '12345' : typeof value === 'boolean' ? 'true' : value === null ? ['x'] : 'x';

/** The keys a strict zod object declares (optional ones included); empty for anything else. */
function declaredKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

function encodeQuery(query: Record<string, string>): string {
  const pairs = Object.entries(query).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

function urlOf(route: RouteSpec, params: Record<string, string>, rawParams: Record<string, string> = {}, query = ''): string {
  return route.path.replace(/:([a-zA-Z]+)/g, (_m, name: string) => rawParams[name] ?? encodeURIComponent(params[name] ?? 'missing')) + query;
}

export function hostileVariants(route: RouteSpec, valid: CaseRequest): HostileRequest[] {
  const params = valid.params ?? {};
  const query = valid.query ?? {};
  const validQuery = encodeQuery(query);
  const at = (label: string, rest: Omit<HostileRequest, 'label' | 'url'> & { url?: string }): HostileRequest => ({
    label, url: rest.url ?? urlOf(route, params, {}, validQuery), ...(route.body && rest.body === undefined && rest.raw === undefined ? { body: valid.body } : {}), ...rest,
  });
  const variants: HostileRequest[] = [];

  for (const name of Object.keys(params)) {
    for (const [encoded, what] of MALFORMED_ENCODINGS) {
      variants.push(at(`path parameter ${name} with malformed percent-encoding (${what})`, { url: urlOf(route, params, { [name]: `a${encoded}b` }, validQuery) }));
    }
    variants.push(at(`NUL in path parameter ${name}`, { url: urlOf(route, params, { [name]: `${encodeURIComponent(params[name]!)}%00` }, validQuery), unstorableAt: `params.${name}` }));
  }

  const queryKeys = [...new Set([...Object.keys(query), ...declaredKeys(route.query)])];
  for (const key of queryKeys) {
    for (const [text, what] of [[NUL, 'NUL']] as const) {
      variants.push(at(`${what} in query ${key}`, { url: urlOf(route, params, {}, encodeQuery({ ...query, [key]: text })), unstorableAt: `query.${key}` }));
    }
    for (const extreme of ['-1', '1e308', '99999999999999999999999', 'NaN']) {
      variants.push(at(`query ${key}=${extreme}`, { url: urlOf(route, params, {}, encodeQuery({ ...query, [key]: extreme })) }));
    }
    variants.push(at(`1 MB query ${key}`, { url: urlOf(route, params, {}, encodeQuery({ ...query, [key]: 'q'.repeat(1_000_000) })) }));
    const others = encodeQuery(Object.fromEntries(Object.entries(query).filter(([name]) => name !== key)));
    variants.push(at(`query ${key} with malformed percent-encoding`, { url: urlOf(route, params, {}, `${others || '?'}${others ? '&' : ''}${encodeURIComponent(key)}=%ZZ%ED%A0%80`) }));
  }
  for (const key of ['__proto__', 'constructor', 'prototype', '__proto__[polluted]']) {
    variants.push(at(`prototype key ${key} in query`, { url: urlOf(route, params, {}, `${validQuery || '?'}${validQuery ? '&' : ''}${encodeURIComponent(key)}=1`) }));
  }

  if (!route.body) return variants;
  const body = (valid.body ?? {}) as Record<string, unknown>;
  const bodyLeaves = leaves(body).filter((leaf) => leaf.path.length > 0);
  const undeclared = declaredKeys(route.body).filter((key) => !(key in body));
  for (const leaf of [...bodyLeaves, ...undeclared.map((key) => ({ path: [key], value: 'x' }))]) {
    const name = leaf.path.join('.');
    if (typeof leaf.value === 'string') {
      variants.push(at(`NUL in ${name}`, { body: setAt(body, leaf.path, `${leaf.value}${NUL}`), unstorableAt: `body.${name}` }));
      variants.push(at(`lone surrogate in ${name}`, { body: setAt(body, leaf.path, `${LONE_SURROGATE}${leaf.value}`), unstorableAt: `body.${name}` }));
    }
    if (typeof leaf.value === 'number') {
      for (const [number, what] of EXTREME_NUMBERS) variants.push(at(`${what} number for ${name}`, { body: setAt(body, leaf.path, number) }));
    }
    if (leaf.path.length > 1) variants.push(at(`wrong type for nested ${name}`, { body: setAt(body, leaf.path, wrongTypeFor(leaf.value)) }));
  }
  const firstString = bodyLeaves.find((leaf) => typeof leaf.value === 'string')?.path ?? ['zzLong'];
  variants.push(at(`1 MB string in ${firstString.join('.')}`, { body: setAt(body, firstString, 's'.repeat(1_000_000)) }));
  variants.push(at('body nested 40,000 levels deep', { raw: '['.repeat(40_000) + ']'.repeat(40_000) }));
  variants.push(at('field nested 40,000 levels deep', { raw: `{"zzDeep":${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}}` }));
  const json = JSON.stringify(body);
  const withKey = (key: string, value: string) => (json === '{}' ? `{"${key}":${value}}` : `{"${key}":${value},${json.slice(1)}`);
  variants.push(at('prototype key __proto__ in body', { raw: withKey('__proto__', '{"polluted":"yes"}') }));
  variants.push(at('prototype key constructor in body', { raw: withKey('constructor', '{"prototype":{"polluted":"yes"}}') }));
  variants.push(at('prototype key prototype in body', { raw: withKey('prototype', '{"polluted":"yes"}') }));
  variants.push(at('NUL in a body key', { body: { ...body, [`k${NUL}`]: 'x' }, unstorableAt: 'body."knul\\u0000"' }));
  variants.push(at('false Content-Encoding: gzip', { raw: json, headers: { 'content-encoding': 'gzip' } }));
  variants.push(at('unsupported Content-Encoding', { raw: json, headers: { 'content-encoding': 'x-unknown' } }));
  variants.push(at('unsupported charset', { raw: json, headers: { 'content-type': 'application/json; charset=x-klingon' } }));
  return variants;
}
