// Encrypted attachments in the conversation: the attach button, drag and drop, paste, upload and download progress,
// image thumbnails decrypted into blob URLs (revoked as soon as they leave the screen), and downloads under the real
// file name. File content only ever exists decrypted in memory, as Blobs.
import { html, nothing, type TemplateResult } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import { isImage, type FileRef } from '../core/files.js';
import type { ConversationIntents, ConversationView } from '../controllers/conversation-view.js';
import type { TimelineEntry } from '../core/timeline.js';
import { SecureChatFileDownloadedEvent } from '../events.js';
import type { Localizer } from '../i18n/localize.js';
import { icon } from './icons.js';

type MessageEntry = Extract<TimelineEntry, { kind: 'message' }>;
type OnFiles = (files: File[]) => void;

/** How long a download's blob URL lives after the click: long enough for the browser to start saving it. */
const DOWNLOAD_URL_LIFETIME_MS = 5_000;

/** "1.5 MB" in the user's locale. */
export function formatSize(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[i],
    unitDisplay: 'short',
    maximumFractionDigits: i ? 1 : 0,
  }).format(value);
}

const percent = (fraction: number, locale: string) =>
  new Intl.NumberFormat(locale, { style: 'percent' }).format(Math.max(0, Math.min(1, fraction)));

const filesOf = (list: FileList | null | undefined): File[] => (list ? [...list] : []);

/** The file's kind as an icon: a picture for images, a page for anything else. */
export const fileIcon = (type: string) => icon(type.startsWith('image/') ? 'image' : 'file');

/** A progress ring (decorative: a native <progress> beside it carries the value for assistive technology). */
export function progressRing(fraction: number): TemplateResult {
  const circumference = 2 * Math.PI * 9;
  const done = Math.max(0, Math.min(1, fraction));
  return html`<svg class="ring" aria-hidden="true" viewBox="0 0 24 24" width="24" height="24">
    <circle cx="12" cy="12" r="9" fill="none" stroke-width="3" class="ring-track"></circle>
    <circle
      cx="12"
      cy="12"
      r="9"
      fill="none"
      stroke-width="3"
      class="ring-value"
      stroke-dasharray=${circumference}
      stroke-dashoffset=${circumference * (1 - done)}
      transform="rotate(-90 12 12)"
    ></circle>
  </svg>`;
}

/** The attach button and its (hidden) file input. */
export function attachButton(where: string, i18n: Localizer, onFiles: OnFiles): TemplateResult {
  const id = `attach-${where}`;
  return html`<input
      id=${id}
      type="file"
      multiple
      hidden
      @change=${(e: Event) => {
        const input = e.currentTarget as HTMLInputElement;
        const files = filesOf(input.files);
        input.value = '';
        if (files.length) onFiles(files);
      }}
    /><button
      type="button"
      class="icon-button"
      part="attach-button"
      aria-controls=${id}
      title=${i18n.t('files.attach')}
      @click=${(e: Event) => ((e.currentTarget as HTMLElement).previousElementSibling as HTMLElement).click()}
    >
      ${icon('attach')}<span class="vh">${i18n.t('files.attach')}</span>
    </button>`;
}

/** Paste handler for the message box: pasted files (e.g. a screenshot) are sent; pasted text is left alone. */
export function pasteFiles(onFiles: OnFiles) {
  return (e: ClipboardEvent) => {
    const files = filesOf(e.clipboardData?.files);
    if (!files.length) return;
    e.preventDefault();
    onFiles(files);
  };
}

const carriesFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');

/** Drag-and-drop handlers for a drop zone; the zone gets the `dropping` class while files are over it. */
export function dropFiles(onFiles: OnFiles) {
  return {
    dragover: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      (e.currentTarget as HTMLElement).classList.add('dropping');
    },
    dragleave: (e: DragEvent) => (e.currentTarget as HTMLElement).classList.remove('dropping'),
    drop: (e: DragEvent) => {
      (e.currentTarget as HTMLElement).classList.remove('dropping');
      const files = filesOf(e.dataTransfer?.files);
      if (!files.length) return;
      e.preventDefault();
      onFiles(files);
    },
  };
}

/** The files of a message: upload progress while our own is being sent, then thumbnails and download buttons. */
export function renderFiles(
  entry: MessageEntry,
  view: ConversationView,
  a: Pick<ConversationIntents, 'openFile'> & { readonly i18n: Localizer },
): TemplateResult | typeof nothing {
  const { i18n } = a;
  const files = entry.files;
  if (!files?.length) return nothing;
  if (files.some((f) => !f.url)) {
    const fraction = view.progress.get(entry.id) ?? 0;
    return html`<div class="files" part="files">
      ${files.map(
        (f) =>
          html`<div class="file-card" part="file-card">
            ${fileIcon(f.type)}
            <span class="file-info"><bdi class="file-name">${f.name}</bdi></span>
            ${progressRing(fraction)}
          </div>`,
      )}
      <progress
        class="vh"
        part="upload-progress"
        max="100"
        .value=${Math.round(fraction * 100)}
        aria-label=${i18n.t('files.uploadingLabel')}
      ></progress>
      <span class="upload-status"
        >${i18n.t('files.uploading', { percent: percent(fraction, i18n.locale) })}</span
      >
    </div>`;
  }
  return html`<ul class="files" part="files">
    ${files.map((ref, index) => html`<li>${attachment(a.openFile, entry, ref, index, i18n)}</li>`)}
  </ul>`;
}

type AttachmentArgs = [ConversationIntents['openFile'], MessageEntry, FileRef, number, Localizer];

/** One attached file. Holds its thumbnail's blob URL only while it is on screen. */
class AttachmentDirective extends AsyncDirective {
  #args!: AttachmentArgs;
  #key = '';
  #thumb: string | undefined;
  #thumbState: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
  #download: number | undefined;
  #downloadFailed = false;
  /** The download in flight: aborted when the file leaves the screen (a lock clears the screen at once). */
  #downloading: AbortController | undefined;

  render(...args: AttachmentArgs): TemplateResult {
    const [, entry, ref, index] = args;
    this.#args = args;
    const key = `${entry.id}/${index}/${ref.url}`;
    if (key !== this.#key) {
      this.#revoke();
      this.#key = key;
      this.#thumbState = 'idle';
    }
    if (isImage(ref) && this.#thumbState === 'idle' && this.isConnected) this.#loadThumbnail();
    return this.#view();
  }

  protected override disconnected(): void {
    // Off screen (list changed, element removed, locked): the decrypted image goes away with it, and a download in
    // flight is dropped: aborted, and its result never written.
    this.#revoke();
    this.#thumbState = 'idle';
    this.#downloading?.abort();
    this.#downloading = undefined;
  }

  protected override reconnected(): void {
    if (isImage(this.#args[2])) this.#loadThumbnail();
    this.#refresh();
  }

  #revoke(): void {
    if (this.#thumb) URL.revokeObjectURL(this.#thumb);
    this.#thumb = undefined;
  }

  #refresh(): void {
    if (this.isConnected) this.setValue(this.#view());
  }

  #loadThumbnail(): void {
    const [openFile, entry, ref] = this.#args;
    const key = this.#key;
    this.#thumbState = 'loading';
    openFile(entry, ref).then(
      (blob) => {
        if (key !== this.#key || !this.isConnected) return;
        this.#thumb = URL.createObjectURL(blob);
        this.#thumbState = 'ready';
        this.#refresh();
      },
      () => {
        if (key !== this.#key) return;
        this.#thumbState = 'failed';
        this.#refresh();
      },
    );
  }

  async #save(button: HTMLElement): Promise<void> {
    const [openFile, entry, ref, index] = this.#args;
    const downloading = new AbortController();
    this.#downloading?.abort();
    this.#downloading = downloading;
    const { signal } = downloading;
    this.#download = 0;
    this.#downloadFailed = false;
    this.#refresh();
    try {
      const blob = await openFile(
        entry,
        ref,
        (fraction) => {
          if (signal.aborted) return;
          this.#download = fraction;
          this.#refresh();
        },
        signal,
      );
      // Locked or gone meanwhile: the decrypted file is never handed to the browser.
      if (signal.aborted || !this.isConnected) return;
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = ref.name;
      link.hidden = true;
      // Some browsers only follow a download link that is in a document; it is removed at once.
      button.after(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
      button.dispatchEvent(new SecureChatFileDownloadedEvent({ cid: entry.cid, messageId: entry.id, index }));
    } catch {
      this.#downloadFailed = !signal.aborted;
    } finally {
      if (this.#downloading === downloading) this.#downloading = undefined;
      this.#download = undefined;
      this.#refresh();
    }
  }

  #view(): TemplateResult {
    const [, , ref, , i18n] = this.#args;
    const t = i18n.t.bind(i18n);
    const size = formatSize(ref.size, i18n.locale);
    const thumbnail = !isImage(ref)
      ? nothing
      : this.#thumbState === 'ready'
        ? html`<button
              type="button"
              class="thumb-button"
              part="thumbnail-button"
              aria-haspopup="dialog"
              @click=${(e: Event) => openLightbox(e.currentTarget as HTMLElement)}
            >
              <img part="thumbnail" class="thumbnail" src=${this.#thumb ?? ''} alt=${ref.name} />
              <span class="vh">${t('files.open', { name: ref.name })}</span>
            </button>
            <dialog
              part="lightbox"
              class="lightbox"
              aria-label=${ref.name}
              @close=${closedLightbox}
              @click=${clickOutside}
            >
              <img src=${this.#thumb ?? ''} alt=${ref.name} />
              <form method="dialog">
                <button type="submit" class="icon-button close" title=${t('files.close')}>
                  ${icon('close')}<span class="vh">${t('files.close')}</span>
                </button>
              </form>
            </dialog>`
        : this.#thumbState === 'failed'
          ? html`<p class="error">${t('files.failed')}</p>`
          : html`<p class="muted thumbnail-loading">${t('files.loadingImage')}</p>`;
    const downloading = this.#download;
    return html`${thumbnail}
      <div class="file-card" part="file-card">
        ${fileIcon(ref.type)}
        <span class="file-info">
          <bdi class="file-name">${ref.name}</bdi>
          <span class="file-size">${size}</span>
        </span>
        ${
          downloading !== undefined
            ? html`${progressRing(downloading)}<progress
                  class="vh"
                  part="download-progress"
                  max="100"
                  .value=${Math.round(downloading * 100)}
                  aria-label=${t('files.downloading', { name: ref.name })}
                ></progress>`
            : nothing
        }
        <button
          type="button"
          class="icon-button"
          part="download-button"
          title=${t('files.download', { name: ref.name, size })}
          ?disabled=${downloading !== undefined}
          @click=${(e: Event) => void this.#save(e.currentTarget as HTMLElement)}
        >
          ${icon('download')}<span class="vh">${t('files.download', { name: ref.name, size })}</span>
        </button>
      </div>
      ${this.#downloadFailed ? html`<p class="error" role="alert">${t('files.failed')}</p>` : nothing}`;
  }
}

/** Opens an image's lightbox: a modal dialog (the rest of the page is inert), closed by Escape or its button. */
function openLightbox(button: HTMLElement): void {
  const dialog = button.nextElementSibling as HTMLDialogElement | null;
  if (!dialog || dialog.open) return;
  dialog.showModal();
  dialog.querySelector<HTMLElement>('.close')?.focus();
}

/** Focus returns to the thumbnail that opened the lightbox. */
function closedLightbox(e: Event): void {
  ((e.currentTarget as HTMLElement).previousElementSibling as HTMLElement | null)?.focus();
}

/** A click on the backdrop (outside the picture and its button) closes it, as on most lightboxes. */
function clickOutside(e: MouseEvent): void {
  const dialog = e.currentTarget as HTMLDialogElement;
  if (e.target === dialog) dialog.close();
}

const attachment = directive(AttachmentDirective);
