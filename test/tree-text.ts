/**
 * The detail tree as text two ways, for tests that compare a built capture with tshark's -O output:
 * the engine's (loaded, the application layer's pass made, every frame's tree printed as the CLI
 * prints it) and tshark's own (the capture written to .test-out/NAME first).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, TSHARK } from './corpora';
import { CaptureSession, MemorySource, readDetail } from '../src/engine/index';
import { prepareApp } from '../src/engine/dissect/app';
import { treeText } from '../src/engine/fields/tree/text';

export const LISTED = 'eth,ip,ipv6,tcp,udp,arp,icmp,icmpv6';

export async function engineTreeText(bytes: Uint8Array, protocols = LISTED): Promise<string> {
  const s = new CaptureSession(new MemorySource(bytes));
  await s.load();
  await prepareApp(s, s.frameCount); // as the CLI: every PDU known before printing
  const set = new Set(protocols.split(','));
  let out = '';
  for (let n = 1; n <= s.frameCount; n++) {
    const d = (await readDetail(s, n))!;
    out += treeText(d.tree, { expand: (p) => p !== undefined && set.has(p), bytes: d.bytes }) + '\n';
  }
  return out;
}

export function tsharkTreeText(bytes: Uint8Array, name: string, protocols = LISTED): string {
  const dir = join(REPO, '.test-out');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return execFileSync(TSHARK, ['-2', '-n', '-r', file, '-O', protocols], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
}
