// Wires the widget the way a customer portal would: API URL, and a function that returns a fresh portal session token.
const chat = document.getElementById('chat');
const me = await fetch('/portal/me.json');
if (!me.ok) window.location.assign('/');
const person = await me.json();
document.getElementById('who').textContent = `Signed in as ${person.name}`;

const { apiUrl, widgetUrl } = await (await fetch('/portal/config.json')).json();
// `?isolation=frame`: the widget runs in an iframe from its own origin (docs/isolation.md). The mode is read when the
// element first connects, so it is set before the widget's script defines the element.
if (new URLSearchParams(location.search).get('isolation') === 'frame')
  chat.setAttribute('isolation', 'frame');
await import(`${widgetUrl}/secure-chat.js`);
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

// Unlocking after a lock is a re-authentication (the widget's `reauthenticate` hook): the portal shows its sign-in
// again and hands the widget the session token of that new sign-in. Cancelling keeps the widget locked.
const dialog = document.getElementById('sign-in-again');
const form = dialog.querySelector('form');
const failed = document.getElementById('sign-in-again-error');
const personas = await (await fetch('/portal/personas.json')).json();
document.getElementById('reauth-personas').replaceChildren(
  ...personas.map((persona) => {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'persona';
    input.value = persona.sub;
    input.required = true;
    label.append(input, ` ${persona.name} (${persona.role})`);
    return label;
  }),
);
chat.reauthenticate = () =>
  new Promise((resolve, reject) => {
    const done = (settle) => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('close', onClose);
      settle();
    };
    const onClose = () => done(() => reject(new Error('Sign-in cancelled')));
    const onSubmit = async (event) => {
      event.preventDefault();
      failed.hidden = true;
      let answer;
      try {
        const response = await fetch('/portal/reauthenticate', { method: 'POST', body: new FormData(form) });
        if (!response.ok) throw new Error(`sign-in ${response.status}`);
        answer = await response.json();
      } catch {
        failed.hidden = false;
        return;
      }
      const { sub, token } = answer;
      done(() => (sub === person.sub ? resolve(token) : reject(new Error('Signed in as someone else'))));
      dialog.close();
      // Someone else signed in: this page belongs to the previous person.
      if (sub !== person.sub) window.location.reload();
    };
    form.reset();
    failed.hidden = true;
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
  });
document.getElementById('sign-in-again-cancel').addEventListener('click', () => dialog.close());

// Signing out of the portal also locks the widget at once.
document.getElementById('sign-out').addEventListener('submit', () => {
  chat.dispatchEvent(new Event('secure-chat-logout'));
});
