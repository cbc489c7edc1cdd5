/**
 * Scroll scaling for very long lists. Browsers cap an element's height (Chrome ≈ 33.5 M px,
 * Firefox ≈ 17.9 M px): ten million 22-px rows (220 M px) cannot be laid out at full height.
 * Past MAX_SCROLL_PX the scroll area is shrunk and positions are mapped linearly, so the
 * first and last rows stay reachable and the scrollbar still spans the whole capture.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface ScrollScale {
  /** Height of the scrolling content in px. */
  spacer: number;
  /** Virtual offset per real scroll px (1 when no scaling is needed). */
  ratio: number;
}

export function scrollScale(count: number, rowHeight: number, viewport: number, max = MAX_SCROLL_PX): ScrollScale {
  const total = count * rowHeight;
  if (total <= max) return { spacer: total, ratio: 1 };
  const room = Math.max(1, max - viewport);
  return { spacer: max, ratio: Math.max(1, (total - viewport) / room) };
}
