/**
 * The display-filter engine as the worker's view and find use it (engine/filter: compileFilter,
 * filterFrames), and the field list the filter bar completes from (engine/fields/registry).
 */
import { compileFilter, filterFrames, type CompiledFilter } from '../engine/filter/index';
import { listFields } from '../engine/fields/registry';
import type { FilterEngine } from './view';

export type { CompiledFilter };

export const filterEngine: FilterEngine<CompiledFilter> = {
  compile(text) {
    const r = compileFilter(text);
    return r.ok ? { ok: true, filter: r.filter, warnings: r.filter.warnings } : r;
  },
  run(s, f, from, to, signal) {
    return filterFrames(s, f, from, to, { signal });
  },
};

export interface FieldInfo {
  name: string;
  type: string;
  desc: string;
}

/** Every registered field: name, type and description (completion, Apply as Filter literals). */
export function fieldInfos(): FieldInfo[] {
  return listFields().map((f) => ({ name: f.name, type: f.type, desc: f.desc }));
}
