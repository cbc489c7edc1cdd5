/**
 * Test support: the Protocol and Info columns (and first values of fields) of a capture, from the
 * engine as the CLI computes them (load, the tree's capture-wide pass, the application layer's
 * sweep, then every frame re-read in order) and from tshark 4.0.17 (`-2 -n -T fields`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureSession, MemorySource } from '../src/engine/index';
import { CaptureReader } from '../src/engine/capture/reader';
import { Packet } from '../src/engine/decode/packet';
import { frameCtx } from '../src/engine/fields/project';
import { info, protocolColumn } from '../src/engine/fields/summary';
import { prepareApp } from '../src/engine/dissect/app';
import { treeSide } from '../src/engine/fields/detail';
import { firstValue, getField } from '../src/engine/fields/registry';

/** A built capture written to .test-out/NAME for tshark to read: its path. */
export function writeTestCapture(name: string, bytes: Uint8Array): string {
  mkdirSync('.test-out', { recursive: true });
  const path = join('.test-out', name);
  writeFileSync(path, bytes);
  return path;
}

/** Per frame: Protocol, Info, then the first value of each of `fields` (as -E occurrence=f prints it). */
export async function engineColumns(bytes: Uint8Array, fields: string[] = []): Promise<string[][]> {
  const s = new CaptureSession(new MemorySource(bytes));
  await s.load();
  // As the CLI: the capture-wide passes before printing (tshark -2): ICMP echo links, application PDUs.
  await treeSide(s);
  await prepareApp(s, s.frameCount);
  const out: string[][] = [];
  const p = new Packet();
  s.decoder.replay = true;
  let n = 0;
  const reader = new CaptureReader({
    onFrame(buf, off, capLen, origLen, _s, _ns, linkType) {
      n++;
      if (n > s.frameCount) return;
      s.decoder.decode(p, buf, off, capLen, origLen, linkType, n);
      const c = frameCtx(s, n, p, buf, off);
      out.push([protocolColumn(c), info(c), ...fields.map((f) => firstValue(getField(f)!, c))]);
    },
    onFrameComment() {},
  });
  reader.push(bytes);
  reader.end();
  return out;
}

export function tsharkColumns(file: string, fields: string[] = []): string[][] {
  let text: string;
  try {
    text = execFileSync('tshark', ['-2', '-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', ...fields.flatMap((f) => ['-e', f])], {
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
  } catch (e) {
    // A damaged capture: tshark prints the frames it could read, then fails.
    text = ((e as { stdout?: Buffer }).stdout ?? Buffer.alloc(0)).toString();
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}
