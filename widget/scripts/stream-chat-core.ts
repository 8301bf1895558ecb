/**
 * Build-time trim of stream-chat's ESM bundle (see rollup.config.ts `streamChatCore`).
 *
 * stream-chat builds, for every client and every channel, helpers for UI SDK features: a message composer (with
 * attachment, link-preview, poll, location and mention machinery), thread, poll and reminder managers, moderation and
 * upload managers, plus factories for campaigns, segments, batch updates and channel managers. secure-chat uses none of
 * them (its messages are ciphertext the server must not understand), yet rollup keeps them all because the client and
 * channel constructors create them. This swaps each of those classes, where stream-chat's kept code refers to it, for
 * a small stand-in, so rollup can drop the original:
 * - classes the constructors create get an inert stand-in that has exactly the members stream-chat's own kept code
 *   calls (no-ops: there are no threads, polls, reminders or drafts to track);
 * - classes only public factory methods create get a stand-in that throws when constructed, so any future use is loud.
 *
 * Safety: the build fails if stream-chat no longer declares a class listed here, or if the result references a global
 * name the original did not; the browser tests drive the real client against the Stream stand-in.
 */
import { globalsOf, parseVendorModule, vendorScopes } from './vendor-ast.js';

/** Stand-ins for what the constructors create, with the members stream-chat's kept code calls on them. */
const INERT: Record<string, string> = {
  // StreamChat: client.threads (its event handling looks up `threadsById`; disconnect calls `resetState`).
  ThreadManager: 'class { constructor() { this.threadsById = {}; } resetState() {} }',
  // StreamChat and Channel: `hydratePollCache(messages)` after each query.
  PollManager: 'class { hydratePollCache() {} }',
  // StreamChat and Channel: `hydrateState(messages)` after each query.
  ReminderManager: 'class { hydrateState() {} }',
  // Channel: drafts and composer config are copied into the composer after each query.
  MessageComposer: 'class { initStateFromChannelResponse() {} updateConfig() {} }',
  // StreamChat: disconnect resets the attachment upload records.
  UploadManager: 'class { reset() {} }',
  // StreamChat: `client.moderation` (moderation API calls) is never called.
  Moderation: 'class {}',
};

/** Classes only public factories create (queryThreads, getThread, campaign, segment, …): never called here. */
const UNBUNDLED = ['Thread', 'ChannelManager', 'Campaign', 'Segment', 'ChannelBatchUpdater'];

const STAND_IN_PREFIX = 'SecureChatWithout';

function standIns(): string {
  const inert = Object.entries(INERT).map(([name, body]) => `var ${STAND_IN_PREFIX}${name} = ${body};`);
  const unbundled = UNBUNDLED.map(
    (name) =>
      `var ${STAND_IN_PREFIX}${name} = class { constructor() { throw new Error("secure-chat build: stream-chat's ${name} is not bundled"); } };`,
  );
  return [
    '// secure-chat build: stand-ins for stream-chat features the widget never uses (widget/scripts/stream-chat-core.ts).',
    ...inert,
    ...unbundled,
    '',
  ].join('\n');
}

interface Identifier {
  name: string;
  range: [number, number];
}
interface Reference {
  identifier: Identifier;
  resolved: { scope: unknown; name: string; defs: { name: Identifier }[] } | null;
}
interface Scope {
  type: string;
  references: Reference[];
  childScopes: Scope[];
  through: Reference[];
  variables: { name: string; defs: { name: Identifier; node: { range: [number, number] } }[] }[];
}
type Statement = { type: string; range: [number, number] };

const parseModule = (code: string) => parseVendorModule<Statement>(code);
const scopesOf = (ast: unknown) => vendorScopes<Scope>(ast);

type Node = { type: string; range: [number, number] } & Record<string, unknown>;
const isNamedClass = (s: Node): s is Node & { declarations: [{ id: Node; init: Node }] } => {
  const declarations = s.declarations as { id: Node; init: Node | null }[] | undefined;
  return (
    s.type === 'VariableDeclaration' &&
    declarations?.length === 1 &&
    declarations[0]!.id.type === 'Identifier' &&
    declarations[0]!.init?.type === 'ClassExpression'
  );
};
const assignsStaticOf = (s: Node, name: string) => {
  const e = s.expression as Node | undefined;
  const left = e?.left as Node | undefined;
  const object = left?.object as Node | undefined;
  return (
    s.type === 'ExpressionStatement' &&
    e?.type === 'AssignmentExpression' &&
    e.operator === '=' &&
    left?.type === 'MemberExpression' &&
    !left.computed &&
    object?.type === 'Identifier' &&
    object.name === name
  );
};

/**
 * esbuild lowers `static x = …` to `var _C = class _C {…}; _C.x = …;`. Rollup cannot drop that assignment (writing a
 * property of a class with a superclass may run a setter), so an unused class with static fields stays in the bundle.
 * Folding the class and its static assignments into one pure-annotated function keeps the semantics (same code, same
 * order) and lets rollup drop the class when nothing uses it.
 */
function pureStaticFields(src: string): string {
  const body = parseModule(src).body as unknown as Node[];
  let out = '';
  let pos = 0;
  for (let i = 0; i < body.length; i++) {
    const s = body[i]!;
    if (!isNamedClass(s)) continue;
    const { id, init } = s.declarations[0];
    const name = id.name as string;
    let j = i + 1;
    while (j < body.length && assignsStaticOf(body[j]!, name)) j++;
    if (j === i + 1) continue;
    const last = body[j - 1]!;
    out += src.slice(pos, s.range[0]);
    out += `var ${name} = /* @__PURE__ */ (() => {\nconst ${name} = ${src.slice(init.range[0], last.range[1])}\nreturn ${name};\n})();`;
    pos = last.range[1];
    i = j - 1;
  }
  return out + src.slice(pos);
}

export function streamChatCore(original: string): { code: string; replaced: Record<string, number> } {
  const ast = parseModule(original);
  const scopes = scopesOf(ast);
  const moduleScope = scopes.scopes.find((s) => s.type === 'module');
  if (!moduleScope) throw new Error('stream-chat changed: not an ES module');
  const names = [...Object.keys(INERT), ...UNBUNDLED];
  const edits: { range: [number, number]; name: string }[] = [];
  const replaced: Record<string, number> = {};
  for (const name of names) {
    const variable = moduleScope.variables.find((v) => v.name === name);
    if (!variable) throw new Error(`stream-chat changed: it no longer declares ${name}`);
    const own = variable.defs.map((d) => d.node.range);
    const exported = ast.body.filter((s) => s.type === 'ExportNamedDeclaration').map((s) => s.range);
    const inside = (pos: number, ranges: [number, number][]) => ranges.some(([a, b]) => a <= pos && pos < b);
    replaced[name] = 0;
    for (const scope of scopes.scopes)
      for (const ref of scope.references) {
        if (ref.resolved?.scope !== moduleScope || ref.resolved.name !== name) continue;
        const at = ref.identifier.range[0];
        // Its own declaration (and self-references in it) and the module's export list keep the original name.
        if (inside(at, own) || inside(at, exported)) continue;
        edits.push({ range: ref.identifier.range, name: `${STAND_IN_PREFIX}${name}` });
        replaced[name]++;
      }
    if (replaced[name] === 0) throw new Error(`stream-chat changed: nothing refers to ${name} any more`);
  }
  let code = original;
  for (const edit of edits.sort((a, b) => b.range[0] - a.range[0]))
    code = code.slice(0, edit.range[0]) + edit.name + code.slice(edit.range[1]);
  // The stand-ins are plain declarations without dependencies: they can go first.
  code = pureStaticFields(`${standIns()}${code}`);

  const before = globalsOf(original);
  const dangling = [...globalsOf(code)].filter((name) => !before.has(name));
  if (dangling.length)
    throw new Error(`stream-chat trim would leave dangling references: ${dangling.join(', ')}`);
  return { code, replaced };
}
