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

// Signing out of the portal also locks the widget at once.
document.getElementById('sign-out').addEventListener('submit', () => {
  chat.dispatchEvent(new Event('secure-chat-logout'));
});
