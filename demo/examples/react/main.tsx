// The page script: the portal's own endpoints (as the demo portal serves them, demo/portal/server.ts) say who is
// signed in and where the token API is, and mint the portal session token the widget hands to the token API.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SecureMessages, type Person } from './secure-messages.js';

/** A fresh portal session token for the signed-in person: the bearer token the token API verifies. */
async function portalSessionToken(): Promise<string> {
  const response = await fetch('/portal/session-token', { method: 'POST' });
  if (!response.ok) throw new Error('The portal session has ended');
  return ((await response.json()) as { token: string }).token;
}

const me = await fetch('/portal/me.json');
if (!me.ok) window.location.assign('/');
const { peers } = (await me.json()) as { peers: Person[] };
const { apiUrl } = (await (await fetch('/portal/config.json')).json()) as { apiUrl: string };

const container = document.getElementById('secure-messages');
if (!container) throw new Error('The page has no #secure-messages element');
createRoot(container).render(
  <StrictMode>
    <SecureMessages apiUrl={apiUrl} peers={peers} getSessionToken={portalSessionToken} />
  </StrictMode>,
);
