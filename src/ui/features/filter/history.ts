/** Display-filter history, newest first, kept in localStorage (nothing leaves the browser). */
const KEY = 'seqscope.filterHistory';
const MAX = 30;

export function loadHistory(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

/** Put `text` first (once) and return the new history. */
export function remember(text: string): string[] {
  const t = text.trim();
  const h = loadHistory().filter((x) => x !== t);
  if (t) h.unshift(t);
  const out = h.slice(0, MAX);
  try {
    localStorage.setItem(KEY, JSON.stringify(out));
  } catch {
    // storage full or disabled: history just is not kept
  }
  return out;
}
