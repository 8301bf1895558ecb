// A host for `<secure-chat-conversation-list>` on its own: the widget's shell styles in a shadow root, a snapshot
// the test writes, and intents that record what the list asked for. The list is a pure view of its snapshot, so
// its interactions and states can be driven without a session; the real-client tests are conversations.browser.test.ts.
import type {
  ConversationListIntents,
  ConversationListView,
} from '../src/controllers/conversation-list-state.js';
import type { ConversationRow } from '../src/core/conversations.js';
import { Localizer } from '../src/i18n/localize.js';
import { styles } from '../src/secure-chat.styles.js';
import { ConversationListElement } from '../src/ui/conversation-list.js';

ConversationListElement.define();

const MIN = 60_000;

/** The contacts of the sample: a care team, one of them with no name from the portal. */
export const CONTACTS = [
  { sub: 'sub-bob', id: 'u-bob', name: 'Dr Bob Chen' },
  { sub: 'sub-carol', id: 'u-carol', name: 'Nurse Carol Díaz' },
  { sub: 'sub-dave', id: 'u-dave', name: 'Dr Dave Obi' },
  { sub: 'sub-erin', id: 'u-erin', name: 'Erin Walsh' },
];

/** Three conversations relative to `now`: Bob (unread, online), Carol (yesterday) and a group. */
export function sampleRows(now: Date): ConversationRow[] {
  const at = (ms: number) => new Date(now.getTime() - ms);
  return [
    {
      cid: 'messaging:bob',
      peers: ['u-bob'],
      names: ['Dr Bob Chen'],
      lastAt: at(5 * MIN),
      unread: 2,
      online: true,
      preview: { kind: 'text', text: 'Your lab results are in. Nothing to worry about.' },
      lastIsOwn: false,
      lastFrom: 'u-bob',
    },
    {
      cid: 'messaging:carol',
      peers: ['u-carol'],
      names: ['Nurse Carol Díaz'],
      lastAt: at(26 * 60 * MIN),
      unread: 0,
      online: false,
      preview: { kind: 'text', text: 'See you on Thursday' },
      lastIsOwn: true,
      lastFrom: 'u-alice',
    },
    {
      cid: 'messaging:team',
      peers: ['u-dave', 'u-erin'],
      names: ['Dr Dave Obi', 'Erin Walsh'],
      lastAt: at(4 * 24 * 60 * MIN),
      unread: 0,
      online: true,
      preview: { kind: 'failed', reason: 'unverified-sender' },
      lastIsOwn: false,
      lastFrom: 'u-dave',
    },
  ];
}

export function sampleView(now: Date, over: Partial<ConversationListView> = {}): ConversationListView {
  return {
    rows: sampleRows(now),
    loading: false,
    active: '',
    totals: { total: 2, conversations: 1 },
    contacts: CONTACTS,
    notice: undefined,
    notifications: { supported: false, enabled: false },
    ...over,
  };
}

/** Intents that record their calls; `start` answers with a cid. */
export class RecordingIntents implements ConversationListIntents {
  readonly calls: string[] = [];
  readonly started: string[][] = [];
  async open(cid: string): Promise<boolean> {
    this.calls.push(`open ${cid}`);
    return true;
  }
  async start(peers: readonly string[]): Promise<string | undefined> {
    this.started.push([...peers]);
    return 'messaging:new';
  }
  back(): string {
    this.calls.push('back');
    return '';
  }
  reload(): void {
    this.calls.push('reload');
  }
  signOut(forgetKey: boolean): void {
    this.calls.push(`signOut ${forgetKey}`);
  }
  toggleNotifications(): void {
    this.calls.push('toggleNotifications');
  }
}

/** `<list-harness theme lang>`: the widget's shell around one conversation list. */
export class ListHarness extends HTMLElement {
  readonly i18n = new Localizer();
  readonly list: ConversationListElement;
  readonly base: HTMLDivElement;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [styles.styleSheet!];
    this.base = document.createElement('div');
    this.base.className = 'root';
    this.base.setAttribute('part', 'base');
    this.list = document.createElement('secure-chat-conversation-list');
    this.base.append(this.list);
    root.append(this.base);
  }

  /** Shows `view` in `lang` (its catalogue loaded first) and waits for the render. */
  async show(view: ConversationListView, intents: ConversationListIntents, lang = 'en'): Promise<void> {
    await this.i18n.setLocale(lang);
    this.base.dir = this.i18n.dir;
    this.base.lang = this.i18n.locale;
    this.list.i18n = this.i18n;
    this.list.intents = intents;
    this.list.view = view;
    this.list.requestUpdate();
    await this.list.updateComplete;
  }
}
customElements.define('list-harness', ListHarness);

export const inList = <E extends Element = HTMLElement>(h: ListHarness, selector: string): E | null =>
  h.shadowRoot!.querySelector<E>(selector);
export const allInList = <E extends Element = HTMLElement>(h: ListHarness, selector: string): E[] => [
  ...h.shadowRoot!.querySelectorAll<E>(selector),
];

/** The centre of `el` in viewport pixels, for real mouse and touch input. */
export function centre(el: Element): { x: number; y: number } {
  const r = el.getBoundingClientRect();
  return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };
}
