// Wires the widget the way a customer portal would: API URL, and a function that returns a fresh portal session token.
const chat = document.getElementById('chat');
const me = await fetch('/portal/me.json');
if (!me.ok) window.location.assign('/');
const person = await me.json();
document.getElementById('who').textContent = `Signed in as ${person.name}`;

const { apiUrl } = await (await fetch('/portal/config.json')).json();
chat.getSessionToken = async () => {
  const response = await fetch('/portal/session-token', { method: 'POST' });
  if (!response.ok) throw new Error('The portal session has ended');
  return (await response.json()).token;
};
chat.setAttribute('api-url', apiUrl);

// Deep links a portal might offer: one button per care-team member, and the whole care team as a group. The widget turns
// `peer` into the conversation itself; for the group the portal asks the token API for the channel, as documented.
const picker = document.getElementById('conversations');
const open = (attributes) => {
  chat.removeAttribute('peer');
  chat.removeAttribute('channel');
  for (const [name, value] of Object.entries(attributes)) chat.setAttribute(name, value);
};
const button = (label, onClick) => {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
};
// "All conversations" shows the widget's own list (no peer, no channel); its badge follows `secure-chat-unread`,
// which carries counts only.
const all = button('All conversations', () => open({}));
const badge = document.createElement('span');
badge.className = 'unread-badge';
all.append(badge);
chat.addEventListener('secure-chat-unread', (event) => {
  badge.textContent = event.detail.total ? ` (${event.detail.total} unread)` : '';
});
picker.replaceChildren(
  all,
  ...person.peers.map((peer) => button(peer.name, () => open({ peer: peer.sub }))),
  button('Care team (everyone)', async () => {
    const response = await fetch(`${apiUrl}/v1/channels`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await chat.getSessionToken()}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ peers: person.peers.map((peer) => peer.sub) }),
    });
    if (response.ok) open({ channel: (await response.json()).cid });
  }),
);
if (person.peers[0]) open({ peer: person.peers[0].sub });

// Signing out of the portal also locks the widget at once.
document.getElementById('sign-out').addEventListener('submit', () => {
  chat.dispatchEvent(new Event('secure-chat-logout'));
});
