/**
 * Runs the Worker as `api/wrangler.toml` deploys it: the file is parsed, its `main` bundled with esbuild (as
 * wrangler does), and its compatibility date and flags, vars, Durable Object bindings and migrations become
 * miniflare options. Tests add only the secrets (and local overrides) a deployment sets outside the file.
 */
import { build } from 'esbuild';
import type { WorkerOptions } from 'miniflare';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';

export const wranglerPath = fileURLToPath(new URL('../wrangler.toml', import.meta.url));

export interface WranglerConfig {
  readonly name: string;
  readonly main: string;
  readonly compatibility_date: string;
  readonly compatibility_flags?: string[];
  readonly vars?: Record<string, string>;
  readonly durable_objects?: {
    readonly bindings: { name: string; class_name: string; script_name?: string }[];
  };
  readonly migrations?: { tag: string; new_sqlite_classes?: string[]; new_classes?: string[] }[];
}

export interface DurableObjectOptions {
  readonly className: string;
  readonly useSQLite: boolean;
  readonly scriptName?: string;
}

export function readWranglerConfig(): WranglerConfig {
  return parse(readFileSync(wranglerPath, 'utf8')) as unknown as WranglerConfig;
}

/** Bundles `main` the way wrangler does for a module Worker (esbuild, browser platform, worker conditions). */
export async function bundleWorker(config: WranglerConfig = readWranglerConfig()): Promise<string> {
  const bundle = await build({
    entryPoints: [resolve(dirname(wranglerPath), config.main)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    logLevel: 'silent',
  });
  return bundle.outputFiles[0]!.text;
}

/** Classes a migration creates on SQLite storage (what new Durable Object classes should use). */
function sqliteClasses(config: WranglerConfig): Set<string> {
  return new Set((config.migrations ?? []).flatMap((migration) => migration.new_sqlite_classes ?? []));
}

/**
 * The Worker's miniflare options from the file, with `bindings` (secrets, overrides) layered over its vars.
 * @throws when a Durable Object binding names a class no migration creates: wrangler would refuse to deploy it.
 */
export function workerOptions(
  config: WranglerConfig,
  script: string,
  bindings: Record<string, string>,
): WorkerOptions & { name: string; durableObjects: Record<string, DurableObjectOptions> } {
  const migrated = new Set([
    ...sqliteClasses(config),
    ...(config.migrations ?? []).flatMap((migration) => migration.new_classes ?? []),
  ]);
  const durableObjects: Record<string, DurableObjectOptions> = Object.fromEntries(
    (config.durable_objects?.bindings ?? []).map((binding) => {
      if (!migrated.has(binding.class_name))
        throw new Error(`wrangler.toml: no migration creates ${binding.class_name}`);
      return [
        binding.name,
        { className: binding.class_name, useSQLite: sqliteClasses(config).has(binding.class_name) },
      ];
    }),
  );
  return {
    name: config.name,
    modules: true,
    script,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    bindings: { ...config.vars, ...bindings },
    durableObjects,
  };
}
