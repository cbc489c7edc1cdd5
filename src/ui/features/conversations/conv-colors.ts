/**
 * Colourize Conversation (Wireshark's View → Colorize Conversation): ten temporary colouring
 * slots, Color 1..10, each holding one TCP conversation (tcp.stream). Their backgrounds are
 * Wireshark 4.0's defaults (`gui.colorized_frame.bg`, as in the installed libwireshark), text
 * black (`gui.colorized_frame.fg`). Like Wireshark's temporary rules they come before the
 * colouring rules, and the lowest slot wins when a conversation is in two. The slots live in
 * state/list-view.ts (`convColors`).
 */
export const CONV_COLORS = ['#ffc0c0', '#ffc0ff', '#e0c0e0', '#c0c0ff', '#c0e0e0', '#c0ffff', '#c0ffc0', '#ffffc0', '#e0e0c0', '#e0e0e0'] as const;
export const CONV_FOREGROUND = '#000000';

/** The colour slot (1-based) of a stream, or 0 when it has none. */
export function convColorSlot(slots: readonly (number | undefined)[], stream: number): number {
  if (stream < 0) return 0;
  const i = slots.indexOf(stream);
  return i < 0 ? 0 : i + 1;
}
