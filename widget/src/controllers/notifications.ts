// Opt-in browser notifications. They carry a fixed title only: never message text, sender names or ids, because a
// notification is shown outside the page (lock screens, notification centres, screen sharing).

export type ToggleResult = 'on' | 'off' | 'denied';

/** Collapses bursts: one notification replaces the previous one. */
const TAG = 'secure-chat';

export class Notifier {
  #enabled: boolean;

  constructor(private readonly storageKey: string) {
    // Only the user's yes/no is remembered, and only while the browser still grants the permission.
    this.#enabled = this.supported && Notification.permission === 'granted' && readFlag(storageKey);
  }

  get supported(): boolean {
    return typeof Notification === 'function';
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Turns notifications on or off. Asks for permission only here, on the user's click. */
  async toggle(): Promise<ToggleResult> {
    if (this.#enabled) {
      this.#set(false);
      return 'off';
    }
    if (!this.supported) return 'denied';
    const permission =
      Notification.permission === 'default'
        ? await Notification.requestPermission()
        : Notification.permission;
    if (permission !== 'granted') return 'denied';
    this.#set(true);
    return 'on';
  }

  /** Shows the fixed, content-free notification; `onClick` runs when the user clicks it. */
  notify(title: string, onClick: () => void): void {
    if (!this.#enabled || Notification.permission !== 'granted') return;
    const notification = new Notification(title, { tag: TAG, silent: false });
    notification.onclick = () => {
      notification.close();
      onClick();
    };
  }

  #set(on: boolean): void {
    this.#enabled = on;
    try {
      if (on) localStorage.setItem(this.storageKey, '1');
      else localStorage.removeItem(this.storageKey);
    } catch {
      // Storage may be blocked (private mode, policies): the choice then lasts for this page only.
    }
  }
}

function readFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}
