import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CaptureSession, MemorySource } from '../src/engine/index';
import { UrlSource, displayUrl, nameFromUrl } from '../src/worker/url-source';

import { SAMPLE as CAPTURE } from './owned';

/** A body delivered in pieces of the given sizes, pausing (a macrotask) between pieces. */
function streamOf(bytes: Uint8Array, sizes: number[], failAfter?: number): ReadableStream<Uint8Array> {
  let pos = 0;
  let i = 0;
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      await new Promise((r) => setTimeout(r, 0));
      if (failAfter !== undefined && pos >= failAfter) {
        c.error(new TypeError('network error'));
        return;
      }
      if (pos >= bytes.length) {
        c.close();
        return;
      }
      const n = sizes[i++ % sizes.length];
      c.enqueue(bytes.slice(pos, pos + n));
      pos += n;
    },
  });
}

function fakeFetch(body: () => Response | Promise<Response>): typeof fetch {
  return (async () => body()) as unknown as typeof fetch;
}

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

describe('UrlSource', () => {
  it('streams the body and serves any range, across chunk boundaries, while and after it arrives', async () => {
    const data = bytes(10_000);
    const seen: number[] = [];
    const src = await UrlSource.open('https://example.org/caps/a%20b.pcap?token=1', {
      fetch: fakeFetch(() => new Response(streamOf(data, [1, 999, 4096, 17]), { headers: { 'content-length': '10000' } })),
      onBytes: (n) => seen.push(n),
    });
    expect(src.name).toBe('a b.pcap');
    expect(src.expectedBytes).toBe(10_000);
    expect(src.size).toBeUndefined();
    expect(await src.read(0, 3000)).toEqual(data.slice(0, 3000));
    expect(await src.read(9000, 5000)).toEqual(data.slice(9000));
    expect(src.size).toBe(10_000);
    expect(await src.read(10_000, 10)).toEqual(new Uint8Array(0));
    for (const [o, n] of [[0, 1], [1, 999], [998, 3], [5095, 1], [4000, 6000], [9999, 1]]) {
      expect(await src.read(o, n)).toEqual(data.slice(o, o + n));
    }
    expect(seen[seen.length - 1]).toBe(10_000);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('returns copies (a transferred result cannot detach the stored chunk)', async () => {
    const data = bytes(100);
    const src = await UrlSource.open('https://h/x', { fetch: fakeFetch(() => new Response(data)) });
    const a = await src.read(10, 5);
    structuredClone(a.buffer, { transfer: [a.buffer] });
    expect(await src.read(10, 5)).toEqual(data.slice(10, 15));
  });

  it('feeds the engine like a file does', async () => {
    const file = new Uint8Array(readFileSync(CAPTURE));
    const src = await UrlSource.open('https://h/x.pcap', { fetch: fakeFetch(() => new Response(streamOf(file, [333, 70]))) });
    const viaUrl = new CaptureSession(src);
    const viaMem = new CaptureSession(new MemorySource(file));
    const [a, b] = await Promise.all([viaUrl.load({ chunkSize: 1000 }), viaMem.load({ chunkSize: 1000 })]);
    expect(a.error).toBeUndefined();
    expect(a).toEqual(b);
    expect(a.frames).toBeGreaterThan(0);
    const last = a.frames;
    expect(await viaUrl.readFrames(1, last)).toEqual(await viaMem.readFrames(1, last));
  });

  it('explains a network or CORS failure', async () => {
    const p = UrlSource.open('https://other.example/x.pcap?secret=1', {
      fetch: fakeFetch(() => {
        throw new TypeError('Failed to fetch');
      }),
    });
    await expect(p).rejects.toThrow(/Cannot fetch https:\/\/other\.example\/x\.pcap: .*cross-origin.*Access-Control-Allow-Origin/);
    await expect(p).rejects.not.toThrow(/secret/);
  });

  it('reports the HTTP status', async () => {
    await expect(UrlSource.open('https://h/missing.pcap', { fetch: fakeFetch(() => new Response('no', { status: 404, statusText: 'Not Found' })) })).rejects.toThrow(
      'The server answered HTTP 404 Not Found for https://h/missing.pcap.',
    );
  });

  it('keeps the bytes received when the download breaks off, and says so past them', async () => {
    const data = bytes(5000);
    const src = await UrlSource.open('https://h/x', { fetch: fakeFetch(() => new Response(streamOf(data, [1000], 2000))) });
    await expect(src.read(0, 4000)).rejects.toThrow(/broke off after 2000 bytes/);
    expect(await src.read(500, 1000)).toEqual(data.slice(500, 1500));
    expect(src.size).toBeUndefined();
  });

  it('abort() ends waiting reads', async () => {
    const never = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(bytes(10)) });
    const src = await UrlSource.open('https://h/x', { fetch: fakeFetch(() => new Response(never)) });
    const r = src.read(0, 100);
    src.abort();
    await expect(r).rejects.toThrow(/cancelled/);
  });

  it('a failed load through the engine is a clear LoadResult error, not a throw', async () => {
    const data = new Uint8Array(readFileSync(CAPTURE));
    const src = await UrlSource.open('https://h/x.pcap', { fetch: fakeFetch(() => new Response(streamOf(data, [200], 400))) });
    const r = await new CaptureSession(src).load({ chunkSize: 300 });
    expect(r.error?.message).toMatch(/broke off after 400 bytes/);
  });
});

describe('URL display', () => {
  it('drops the query and shortens long URLs', () => {
    expect(displayUrl('https://h.example/a/b.pcap?sig=xyz#f')).toBe('https://h.example/a/b.pcap');
    expect(displayUrl(`https://h/${'a'.repeat(300)}`).length).toBeLessThanOrEqual(100);
    expect(nameFromUrl('https://h.example/')).toBe('h.example');
    expect(nameFromUrl('https://h/dir/cap.pcapng/')).toBe('cap.pcapng');
  });
});
