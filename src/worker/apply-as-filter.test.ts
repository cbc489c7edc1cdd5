import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureSession, MemorySource, readDetail, type DetailNode } from '../engine/index';
import { HAS_SHARED, CAPTURES } from '../../test/corpora';
import { nodeExpression } from '../ui/features/filter/complete';
import { filterEngine, fieldInfos } from './filter-engine';

describe.skipIf(!HAS_SHARED)('Apply as Filter', () => {
  it("every field of every detail tree gives a filter that compiles and selects its own frame", async () => {
    const types = new Map(fieldInfos().map((f) => [f.name, f.type]));
    const files = readdirSync(CAPTURES).filter((f) => /\.(pcap|pcapng|gz)$/.test(f)).sort();
    let checked = 0;
    const bad: string[] = [];
    for (const f of files) {
      const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(join(CAPTURES, f))), f));
      await s.load();
      for (let n = 1; n <= Math.min(s.frameCount, 30); n++) {
        const d = await readDetail(s, n);
        const nodes: DetailNode[] = [];
        const walk = (ns: DetailNode[]) => ns.forEach((x) => (nodes.push(x), x.children && walk(x.children)));
        walk(d!.tree);
        for (const node of nodes) {
          // The menu is offered only for fields the registry knows (the filter could not name the others).
          if (!node.field || !types.has(node.field)) continue;
          const expr = nodeExpression(node, types.get(node.field));
          // A whole large payload makes a filter longer than the bar accepts (it says so).
          if (!expr || expr.length > 65536) continue;
          const c = filterEngine.compile(expr);
          if (!c.ok) {
            bad.push(`${f}#${n} ${expr.slice(0, 100)}: ${c.error.message}`);
            continue;
          }
          const m = await filterEngine.run(s, c.filter, n, n, { aborted: false });
          if (m[0] !== n) bad.push(`${f}#${n} ${expr.slice(0, 100)}: does not match its frame`);
          checked++;
        }
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  }, 120_000);
});
