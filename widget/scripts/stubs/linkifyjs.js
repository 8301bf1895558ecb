// Build-time stand-in for `linkifyjs`. stream-chat imports it only for its message composer's link previews, which are
// off by default and which secure-chat never uses (the composer never sees plaintext). Throwing makes any future use loud.
export function find() {
  throw new Error('secure-chat build: linkifyjs is not bundled (stream-chat link previews are unused)');
}
