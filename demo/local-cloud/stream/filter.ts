/** Stream's filter language (`$eq $ne $in $nin $gt $gte $lt $lte $exists $autocomplete $q $contains $and $or $nor`) and sorts. */
import { badInput } from './errors.js';

type Doc = Record<string, unknown>;

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  return (a as number | string) < (b as number | string) ? -1 : 1;
}

function matchOp(value: unknown, op: string, arg: unknown, opName: string): boolean {
  const values = Array.isArray(value) ? value : [value];
  switch (op) {
    case '$eq':
      if (Array.isArray(value) && Array.isArray(arg)) {
        return value.length === arg.length && arg.every((x) => value.includes(x));
      }
      return values.includes(arg);
    case '$ne':
      return !values.includes(arg);
    case '$in':
      if (!Array.isArray(arg)) throw badInput(opName, '$in operator requires an array');
      return values.some((v) => arg.includes(v));
    case '$nin':
      if (!Array.isArray(arg)) throw badInput(opName, '$nin operator requires an array');
      return !values.some((v) => arg.includes(v));
    case '$gt':
      return compare(value, arg) > 0;
    case '$gte':
      return compare(value, arg) >= 0;
    case '$lt':
      return compare(value, arg) < 0;
    case '$lte':
      return compare(value, arg) <= 0;
    case '$exists':
      return (value !== undefined && value !== null) === Boolean(arg);
    case '$contains':
      return values.includes(arg);
    case '$autocomplete':
    case '$q': {
      const needle = String(arg).toLowerCase();
      return typeof value === 'string' && value.toLowerCase().includes(needle);
    }
    default:
      throw badInput(opName, `operator ${op} is not supported by the local stand-in`);
  }
}

/** True if `doc` satisfies the Stream filter object. */
export function matches(doc: Doc, filter: unknown, opName: string): boolean {
  if (filter === undefined || filter === null) return true;
  if (typeof filter !== 'object' || Array.isArray(filter))
    throw badInput(opName, 'filter_conditions must be an object');
  for (const [key, cond] of Object.entries(filter as Doc)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(cond)) throw badInput(opName, `${key} requires an array`);
      const results = cond.map((f) => matches(doc, f, opName));
      if (key === '$and' && !results.every(Boolean)) return false;
      if (key === '$or' && !results.some(Boolean)) return false;
      if (key === '$nor' && results.some(Boolean)) return false;
      continue;
    }
    const value = doc[key];
    const isOpObject =
      cond !== null &&
      typeof cond === 'object' &&
      !Array.isArray(cond) &&
      Object.keys(cond).every((k) => k.startsWith('$'));
    if (isOpObject) {
      for (const [op, arg] of Object.entries(cond as Doc)) if (!matchOp(value, op, arg, opName)) return false;
    } else if (!matchOp(value, '$eq', cond, opName)) {
      return false;
    }
  }
  return true;
}

export type Sort = Array<{ field: string; direction: number }>;

/** Parses `[{field, direction}]` (or a JSON string of it). */
export function parseSort(raw: unknown, opName: string): Sort {
  const value = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badInput(opName, 'sort must be an array of {field, direction}');
  return value.map((s: Doc) => ({ field: String(s.field), direction: Number(s.direction) < 0 ? -1 : 1 }));
}

export function sortDocs<T extends Doc>(docs: T[], sort: Sort): T[] {
  return [...docs].sort((a, b) => {
    for (const { field, direction } of sort) {
      const c = compare(a[field], b[field]);
      if (c) return c * direction;
    }
    return 0;
  });
}
