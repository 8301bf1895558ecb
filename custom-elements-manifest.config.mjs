// `npm run cem`: custom-elements.json from the element's JSDoc (the attributes, events, slots and CSS properties
// documented on SecureChatElement) and its CSS parts, listed once in widget/src/css-parts.json.
import { readFileSync } from 'node:fs';

const TAG = 'secure-chat';
const CSS_PARTS = JSON.parse(readFileSync(new URL('./widget/src/css-parts.json', import.meta.url), 'utf8'));

/** The element registers itself through its static `define()`, which the analyzer cannot follow: name it here. */
function secureChatDefinition() {
  return {
    name: 'secure-chat-definition',
    packageLinkPhase({ customElementsManifest: manifest }) {
      for (const mod of manifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.name !== 'SecureChatElement') continue;
          declaration.tagName = TAG;
          declaration.cssParts = Object.entries(CSS_PARTS).map(([name, description]) => ({
            name,
            description,
          }));
          // `dispatchEvent(new SecureChatLockedEvent(…))` is picked up without a name; the JSDoc lists it by name.
          declaration.events = (declaration.events ?? []).filter((event) => event.name);
          mod.exports = [
            ...(mod.exports ?? []),
            {
              kind: 'custom-element-definition',
              name: TAG,
              declaration: { name: declaration.name, module: mod.path },
            },
          ];
        }
      }
    },
  };
}

export default {
  globs: ['widget/src/secure-chat.ts'],
  outdir: '.',
  litelement: true,
  plugins: [secureChatDefinition()],
};
