// The README's code blocks, run as an integrator would paste them. Each block that mints a portal session token is
// run with its own runtime (Node, Python, Mono's C# compiler) and the token it prints must pass the token API's own
// verifier. The HTML quick start runs in the browsers (widget/test/readme-quick-start.browser.test.ts). Blocks in
// `sh` (commands) and `text` (fragments with placeholders) are not programs; any other language fails this test until
// it is run here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { createPortalVerifier } from '../../api/src/auth/portal-session.js';
import type { ApiConfig } from '../../api/src/config.js';

const root = new URL('../../', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(([, lang, code]) => ({
  lang: lang ?? '',
  code: code ?? '',
}));
const ofLanguage = (lang: string) => blocks.filter((block) => block.lang === lang).map((b) => b.code);

const env = {
  PORTAL_JWT_SECRET: 'readme-example-secret-that-is-long-enough-0123',
  PORTAL_JWT_ISSUER: 'https://portal.example',
  PORTAL_JWT_AUDIENCE: 'secure-chat',
};
const portal: ApiConfig['portal'] = {
  secret: env.PORTAL_JWT_SECRET,
  issuer: env.PORTAL_JWT_ISSUER,
  audience: env.PORTAL_JWT_AUDIENCE,
  leewayS: 0,
  nameClaim: 'name',
  peersClaim: 'peers',
};
const verifyHs256 = createPortalVerifier(portal);

/** Node examples run from inside the repository, so `import 'jose'` resolves as in an integrator's project. */
const nodeDir = join(root, 'node_modules', '.cache', 'readme-examples');
const run = (command: string, args: string[], cwd?: string) =>
  execFileSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  }).trim();

function runNode(code: string, name: string): string {
  mkdirSync(nodeDir, { recursive: true });
  const file = join(nodeDir, `${name}.mjs`);
  writeFileSync(file, code);
  return run(process.execPath, [file]);
}

describe('README code blocks', () => {
  it('has only languages this test knows how to run (or knows are not programs)', () => {
    const languages = new Set(blocks.map((block) => block.lang));
    expect([...languages].sort()).toEqual(['csharp', 'html', 'js', 'python', 'sh', 'text']);
    expect(ofLanguage('js')).toHaveLength(2);
    expect(ofLanguage('html')).toHaveLength(1);
  });

  it('Node (HS256): the token passes the API verifier with the claims the example sets', async () => {
    const [hs256] = ofLanguage('js').filter((code) => code.includes('PORTAL_JWT_SECRET'));
    const session = await verifyHs256(`Bearer ${runNode(hs256 ?? '', 'hs256')}`);
    expect(session).toMatchObject({
      sub: 'patient-ana',
      name: 'Ana García',
      peers: [{ sub: 'dr-lee', name: 'Dr. Lee Chen' }],
    });
  });

  it('Node (ES256 and a JWKS): the token passes the API verifier with the published key set', async () => {
    const [jwksExample] = ofLanguage('js').filter((code) => code.includes('exportJWK'));
    const { jwks, token } = JSON.parse(runNode(jwksExample ?? '', 'jwks')) as {
      jwks: JSONWebKeySet;
      token: string;
    };
    const { secret: _secret, ...withoutSecret } = portal;
    const verify = createPortalVerifier(
      { ...withoutSecret, jwksUrl: 'https://portal.example/.well-known/jwks.json' },
      createLocalJWKSet(jwks),
    );
    expect(await verify(`Bearer ${token}`)).toMatchObject({
      sub: 'patient-ana',
      peers: [{ sub: 'dr-lee' }],
    });
    // The key set is what the API trusts: the same token under another key set is refused.
    const other = createPortalVerifier(
      { ...withoutSecret, jwksUrl: 'https://portal.example/.well-known/jwks.json' },
      createLocalJWKSet({ keys: [] }),
    );
    await expect(other(`Bearer ${token}`)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('Python (standard library): the token passes the API verifier', async () => {
    const [python] = ofLanguage('python');
    const token = run('python3', ['-c', python ?? '']);
    expect(await verifyHs256(`Bearer ${token}`)).toMatchObject({
      sub: 'patient-ana',
      name: 'Ana García',
      peers: [{ sub: 'dr-lee', name: 'Dr. Lee Chen' }],
    });
  });

  it("C# (base class library, built with Mono's mcs): the token passes the API verifier", async () => {
    const [csharp] = ofLanguage('csharp');
    const dir = mkdtempSync(join(tmpdir(), 'readme-csharp-'));
    writeFileSync(join(dir, 'PortalSessionToken.cs'), csharp ?? '');
    try {
      run('mcs', ['-nologo', '-out:token.exe', 'PortalSessionToken.cs'], dir);
    } catch (cause) {
      throw new Error(
        "Compiling the README C# example needs Mono's compiler: `node demo/dev/ensure-browsers.mjs` installs it " +
          '(Debian package mono-mcs)',
        { cause },
      );
    }
    const token = run('mono', ['token.exe'], dir);
    expect(await verifyHs256(`Bearer ${token}`)).toMatchObject({
      sub: 'patient-ana',
      name: 'Ana García',
      peers: [{ sub: 'dr-lee', name: 'Dr. Lee Chen' }],
    });
  });

  it('a token signed with another secret is refused, so the checks above are not vacuous', async () => {
    const [python] = ofLanguage('python');
    const forged = execFileSync('python3', ['-c', python ?? ''], {
      env: { ...process.env, ...env, PORTAL_JWT_SECRET: 'another-secret-of-sufficient-length-4567890' },
      encoding: 'utf8',
    }).trim();
    await expect(verifyHs256(`Bearer ${forged}`)).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
