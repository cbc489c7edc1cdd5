/**
 * A field's (first) value from the field registry: the one definition of each value, shared by
 * the tree with -e and the display filters. Its own module: the registry imports the built-in
 * fields, so the small tree helpers (node.ts, used by the Info column too) must not import it.
 */
import { firstValue, getField } from '../registry';
import type { FrameCtx } from '../project';

export function registryValue(c: FrameCtx, name: string): string {
  const d = getField(name);
  return d ? firstValue(d, c) : '';
}
