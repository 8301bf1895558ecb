// Avatars for the conversation list: initials from the portal's name on a colour derived from the id, never an
// image URL (nothing is fetched, nothing reveals who is talking to whom). A group shows two of its members.
// Decorative: the name is always next to it, so screen readers skip the avatar.
import { html, nothing, type TemplateResult } from 'lit';
import { avatarTone, initials } from '../controllers/conversation-list-model.js';

export interface AvatarPerson {
  readonly id: string;
  readonly name: string | undefined;
}

function face(person: AvatarPerson, extra = ''): TemplateResult {
  return html`<span class="face tone-${avatarTone(person.id)} ${extra}">${initials(person.name)}</span>`;
}

/** One person, or the first two members of a group, with a presence dot when `online` is given. */
export function renderAvatar(people: readonly AvatarPerson[], online?: boolean): TemplateResult {
  const [first, second] = people;
  const group = people.length > 1 && second;
  return html`<span class="avatar ${group ? 'group' : ''}" part="avatar" aria-hidden="true"
    >${first ? face(first) : face({ id: '', name: undefined })}${group ? face(second, 'second') : nothing}${
      online === undefined
        ? nothing
        : html`<span class="presence-dot ${online ? 'online' : ''}" part="presence"></span>`
    }</span
  >`;
}
