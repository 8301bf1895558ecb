// A portal's React page around the widget, with `secure-chat/react`: props in (the API URL, whom to talk to, the
// portal's session token function), typed events out (what the page shows about the conversation, never its text).
import { useRef, useState } from 'react';
import { SecureChat } from 'secure-chat/react';

export interface Person {
  sub: string;
  name: string;
}

export interface SecureMessagesProps {
  /** The secure-chat token API. */
  apiUrl: string;
  /** Whom the signed-in person may message (the portal's `peers` claim); the first one is opened. */
  peers: readonly Person[];
  /** Resolves with a fresh portal session token, the bearer token the token API expects. */
  getSessionToken: () => Promise<string>;
}

type Activity =
  | { state: 'connecting' }
  | { state: 'open'; cid: string }
  | { state: 'failed'; code: string }
  | { state: 'locked' };

const describeActivity = (activity: Activity): string => {
  switch (activity.state) {
    case 'connecting':
      return 'Opening the conversation…';
    case 'open':
      return 'Conversation open.';
    case 'failed':
      return `Secure messages are unavailable (${activity.code}).`;
    case 'locked':
      return 'Secure messages are locked.';
  }
};

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;

export function SecureMessages({ apiUrl, peers, getSessionToken }: SecureMessagesProps) {
  const [peer, setPeer] = useState(peers[0]?.sub ?? '');
  const [activity, setActivity] = useState<Activity>({ state: 'connecting' });
  const [received, setReceived] = useState(0);
  const [sent, setSent] = useState(0);
  // Events carry opaque chat ids: `from` is compared with the id `secure-chat-ready` reported for this person.
  const myId = useRef('');

  const open = (sub: string) => {
    if (sub === peer) return;
    setActivity({ state: 'connecting' });
    setPeer(sub);
  };

  return (
    <section className="secure-messages" aria-labelledby="secure-messages-title">
      <h2 id="secure-messages-title">Secure messages</h2>
      <nav aria-label="Conversations">
        {peers.map((person) => (
          <button
            key={person.sub}
            type="button"
            aria-pressed={person.sub === peer}
            onClick={() => open(person.sub)}
          >
            {person.name}
          </button>
        ))}
      </nav>
      <p role="status" data-state={activity.state} data-cid={activity.state === 'open' ? activity.cid : ''}>
        {describeActivity(activity)} {plural(received, 'new message')}, {plural(sent, 'message')} sent.
      </p>
      <SecureChat
        apiUrl={apiUrl}
        peer={peer}
        getSessionToken={getSessionToken}
        onSecureChatReady={(event) => {
          myId.current = event.detail.userId;
          setActivity({ state: 'open', cid: event.detail.cid });
        }}
        onSecureChatMessage={(event) => {
          if (event.detail.change === 'new' && event.detail.from !== myId.current) setReceived((n) => n + 1);
        }}
        onSecureChatSend={() => setSent((n) => n + 1)}
        onSecureChatError={(event) => setActivity({ state: 'failed', code: event.detail.code })}
        onSecureChatLocked={() => setActivity({ state: 'locked' })}
      />
    </section>
  );
}
