/** Shared HTTP helpers: the Hono environment type, JSON body parsing and field validation. */
import type { Context } from 'hono';
import { badRequest, VirgilErrorCode } from './errors.js';

/** Hono environment of every route: the auth middleware sets the caller's identity. */
export interface VirgilEnv {
  Variables: { identity: string };
}

export type Json = Record<string, unknown>;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Parses the request body as a JSON object; an empty body counts as `{}` only when `allowEmpty`. */
export async function readJsonObject(c: Context<VirgilEnv>, allowEmpty = false): Promise<Json> {
  const text = await c.req.text();
  if (text.trim() === '' && allowEmpty) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('Request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('Request body must be a JSON object.');
  }
  return value as Json;
}

/** Rejects fields this stand-in does not implement, so callers never get a silent partial success. */
export function onlyFields(body: Json, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(body).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw badRequest(
      `${what}: unsupported field(s) ${unknown.map((n) => `"${n}"`).join(', ')}; the local stand-in accepts only ${allowed.join(', ')}.`,
      VirgilErrorCode.UnsupportedField,
    );
  }
}

export function requiredString(body: Json, name: string, { allowEmpty = false } = {}): string {
  const value = body[name];
  if (typeof value !== 'string' || (!allowEmpty && value === '')) {
    throw badRequest(`Field "${name}" must be a${allowEmpty ? '' : ' non-empty'} string.`);
  }
  return value;
}

export function optionalString(body: Json, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(`Field "${name}" must be a string.`);
  return value;
}

/** A base64 string field (standard alphabet, padded); empty allowed when `allowEmpty`. */
export function base64Field(body: Json, name: string, { allowEmpty = false } = {}): string {
  const value = requiredString(body, name, { allowEmpty });
  if (!BASE64.test(value)) throw badRequest(`Field "${name}" must be standard padded base64.`);
  return value;
}

export function stringArray(body: Json, name: string): string[] {
  const value = body[name];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
    throw badRequest(`Field "${name}" must be an array of non-empty strings.`);
  }
  return value as string[];
}
