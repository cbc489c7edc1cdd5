/**
 * Is the window narrower than `px`? (A media query, followed as the window is resized.) Narrow
 * windows stack the detail tree over the bytes, as Wireshark's default layout does, so that a
 * hex dump line (about 560 px) is not cut.
 */
import { useEffect, useState } from 'react';

export const NARROW_PX = 1000;

export function useNarrow(px = NARROW_PX): boolean {
  const query = `(max-width: ${px - 1}px)`;
  const [narrow, setNarrow] = useState(() => typeof matchMedia === 'function' && matchMedia(query).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(query);
    const on = () => setNarrow(mq.matches);
    on();
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [query]);
  return narrow;
}
