// Colour contrast checks for the browser tests (WCAG 2 relative luminance and contrast ratios).
import { expect } from '@open-wc/testing';
import type { SecureChatElement } from '../src/secure-chat.js';
import { shadow } from './stack-helpers.js';

/** WCAG relative luminance of a computed `rgb(…)` colour. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export const css = (node: Element) => getComputedStyle(node);
export const root = (el: Element) => shadow(el).querySelector('.root') as HTMLElement;

/** Checks the theme's main colour pairs against WCAG AA (4.5:1 text, 3:1 focus ring and borders of controls). */
export function checkContrast(el: SecureChatElement) {
  const box = root(el);
  const bg = css(box).backgroundColor;
  const send = shadow(el).querySelector('[part~="send-button"]') as HTMLElement;
  const meta = shadow(el).querySelector('.meta:not(.quiet)') as HTMLElement;
  expect(contrast(css(box).color, bg), 'text on background').to.be.at.least(4.5);
  expect(contrast(css(send).color, css(send).backgroundColor), 'send button').to.be.at.least(4.5);
  expect(contrast(css(meta).color, bg), 'time and delivery under a bubble').to.be.at.least(4.5);
  // Text in every bubble (own in the accent colour, others on the surface) and the message actions' icons.
  for (const bubble of shadow(el).querySelectorAll<HTMLElement>('[part~="bubble"]')) {
    const colours = css(bubble);
    if (colours.backgroundColor === 'rgba(0, 0, 0, 0)') continue; // deleted or decrypting: on the background
    expect(contrast(colours.color, colours.backgroundColor), 'text in a bubble').to.be.at.least(4.5);
  }
  const action = shadow(el).querySelector('[part~="message-actions"] button') as HTMLElement;
  expect(contrast(css(action).color, bg), 'message action icon').to.be.at.least(3);
  const input = shadow(el).querySelector('textarea') as HTMLElement;
  expect(contrast(css(input).borderTopColor, bg), 'input border').to.be.at.least(3);
}

/** The focused control in the widget, its style and its focus ring's contrast against the background. */
export async function focusedOutline(el: SecureChatElement) {
  const active = shadow(el).activeElement as HTMLElement | null;
  if (!active) return { active };
  const style = css(active);
  return { active, style, ringContrast: contrast(style.outlineColor, css(root(el)).backgroundColor) };
}
