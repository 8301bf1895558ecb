// Parsing and scope analysis shared by the build-time vendor trims (e3kit-without-groups.ts, stream-chat-core.ts).
import { parse } from 'acorn';
import { analyze } from 'eslint-scope';

/** A module's top-level statements, typed as the caller reads them. */
export const parseVendorModule = <Statement>(code: string) =>
  parse(code, { ecmaVersion: 'latest', sourceType: 'module', ranges: true }) as unknown as {
    body: Statement[];
  };

/** The module's scopes (eslint-scope), typed as the caller reads them. */
export const vendorScopes = <Scope>(ast: unknown) =>
  analyze(ast as never, { ecmaVersion: 2022, sourceType: 'module' }) as unknown as {
    globalScope: Scope;
    scopes: Scope[];
  };

/** The names the code reads without declaring them: what it takes from the global scope. */
export const globalsOf = (code: string) =>
  new Set(
    vendorScopes<{ through: { identifier: { name: string } }[] }>(
      parseVendorModule(code),
    ).globalScope.through.map((r) => r.identifier.name),
  );
