/**
 * Follow TCP Stream: the stream's payload in sequence order as Wireshark reassembles it (the
 * worker's engine/stats follower: retransmissions once, out-of-order data in place, gaps marked),
 * the client's bytes in red and the server's in blue. Views ASCII (tshark's), Hex Dump, C Arrays,
 * Raw and UTF-8; Entire conversation / A→B / B→A; Find; save as a local download; "Filter out
 * this stream" and back. Chunks arrive batch by batch and are virtualized, so a long stream shows
 * its first screen at once; clicking a chunk selects its frame. Everything renders as text.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { engine, type FollowChunk, type FollowResult } from '../../engine-client';
import { useStats } from '../../state/stats';
import { useViewer } from '../../state/viewer';
import { useView } from '../../state/view';
// A pure formatter of engine/fields (allowed by ARCHITECTURE.md's import table; the restricted
// pattern's '**/engine/*' cannot re-include engine/fields/** for a nested path).
// eslint-disable-next-line no-restricted-imports
import { asciiText, cArray, hexLines, rawHex } from '../../../engine/fields/follow-text';
import '../conversations/conversations.css';

type Mode = 'ascii' | 'hex' | 'carray' | 'raw' | 'utf8';
type Dir = 'both' | 'ab' | 'ba';
const MODES: [Mode, string][] = [
  ['ascii', 'ASCII'],
  ['hex', 'Hex Dump'],
  ['carray', 'C Arrays'],
  ['raw', 'Raw'],
  ['utf8', 'UTF-8'],
];

const utf8 = new TextDecoder('utf-8');

/** The follow data of the stream on screen, streamed from the worker. */
function useFollow(stream: number | undefined): { info: Omit<FollowResult, 'chunks'> | undefined; chunks: FollowChunk[]; done: boolean } {
  const loadId = useViewer((s) => s.loadId);
  const [state, setState] = useState<{ info: Omit<FollowResult, 'chunks'> | undefined; chunks: FollowChunk[]; done: boolean }>({
    info: undefined,
    chunks: [],
    done: false,
  });
  useEffect(() => {
    if (stream === undefined || !loadId) return;
    let live = true;
    const all: FollowChunk[] = [];
    setState({ info: undefined, chunks: [], done: false });
    void engine()
      .follow(loadId, stream, (batch) => {
        if (!live) return;
        all.push(...batch);
        setState((s) => ({ ...s, chunks: all.slice() }));
      })
      .then(
        (info) => live && setState({ info, chunks: all.slice(), done: true }),
        () => live && setState((s) => ({ ...s, done: true })),
      );
    return () => {
      live = false;
    };
  }, [stream, loadId]);
  return state;
}

function chunkText(c: FollowChunk, mode: Mode, offset: number, index: number): string {
  switch (mode) {
    case 'ascii':
      return asciiText(c.data);
    case 'hex':
      return hexLines(c.data, offset).join('\n');
    case 'carray':
      return cArray(c.data, c.server ? 1 : 0, index);
    case 'raw':
      return rawHex(c.data);
    case 'utf8':
      return utf8.decode(c.data);
  }
}

export function FollowPanel() {
  const view = useStats((s) => s.view);
  const stream = useStats((s) => s.stream);
  const backFilter = useStats((s) => s.backFilter);
  const { info, chunks, done } = useFollow(view === 'follow' ? stream : undefined);
  const [mode, setMode] = useState<Mode>('ascii');
  const [dir, setDir] = useState<Dir>('both');
  const [find, setFind] = useState('');
  const [hit, setHit] = useState(-1);
  const scroller = useRef<HTMLDivElement>(null);

  // Offsets per direction (the hex dump counts each direction from 0) and the text of each chunk.
  const shown = useMemo(() => {
    const pos = [0, 0];
    const count = [0, 0];
    const out: { c: FollowChunk; text: string }[] = [];
    for (const c of chunks) {
      const d = c.server ? 1 : 0;
      const keep = dir === 'both' || (dir === 'ab') === !c.server;
      if (keep) out.push({ c, text: chunkText(c, mode, pos[d], count[d]) });
      pos[d] += c.data.length;
      count[d]++;
    }
    return out;
  }, [chunks, mode, dir]);

  const virt = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => 18 * (1 + (shown[i]?.text.split('\n').length ?? 1)),
    overscan: 6,
  });

  if (view !== 'follow' || stream === undefined) return null;
  const nodes = info
    ? [info.client, info.server].map((n) => (n ? (n.v6 ? `[${n.addr}]:${n.port}` : `${n.addr}:${n.port}`) : '?'))
    : ['…', '…'];
  const bytes = info?.bytes ?? [
    chunks.filter((c) => !c.server).reduce((a, c) => a + c.data.length, 0),
    chunks.filter((c) => c.server).reduce((a, c) => a + c.data.length, 0),
  ];

  const findNext = () => {
    if (!find) return;
    const q = find.toLowerCase();
    for (let k = 1; k <= shown.length; k++) {
      const i = (hit + k) % shown.length;
      if (shown[i].text.toLowerCase().includes(q)) {
        setHit(i);
        virt.scrollToIndex(i, { align: 'center' });
        return;
      }
    }
    setHit(-1);
  };

  const save = () => {
    const parts = shown.map((s) => s.c.data);
    const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `tcp-stream-${stream}${dir === 'both' ? '' : dir === 'ab' ? '-a-to-b' : '-b-to-a'}.bin`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const filterOut = () => {
    useStats.getState().setBackFilter(useView.getState().applied);
    useView.getState().apply(`!(tcp.stream eq ${stream})`);
    useStats.getState().follow(undefined);
  };

  const close = () => {
    if (backFilter !== undefined) useView.getState().apply(backFilter);
    useStats.getState().setBackFilter(undefined);
    useStats.getState().follow(undefined);
  };

  return (
    <section className="stats-drawer" data-testid="follow-panel" aria-label="Follow TCP Stream">
      <header className="stats-head">
        <strong>Follow TCP Stream (tcp.stream eq {stream})</strong>
        <span data-testid="follow-nodes">
          <span className="follow-chunk-label client">{nodes[0]}</span> → <span className="follow-chunk-label server">{nodes[1]}</span>
        </span>
        <span>{done ? '' : 'reading…'}</span>
        <button type="button" className="stats-close" aria-label="Close" onClick={close}>
          ×
        </button>
      </header>
      <div className="follow-body" ref={scroller} data-testid="follow-body">
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {virt.getVirtualItems().map((v) => {
            const s = shown[v.index];
            return (
              <div
                key={v.key}
                ref={virt.measureElement}
                data-index={v.index}
                data-testid="follow-chunk"
                data-frame={s.c.frame}
                data-server={s.c.server ? '1' : '0'}
                className={`follow-chunk ${s.c.server ? 'server' : 'client'}${v.index === hit ? ' hit' : ''}`}
                style={{ transform: `translateY(${v.start}px)` }}
                title={`Frame ${s.c.frame}`}
                onClick={() => useViewer.getState().jumpTo(s.c.frame)}
              >
                {s.text}
              </div>
            );
          })}
        </div>
      </div>
      <footer className="follow-foot">
        <span>
          {chunks.length} chunks · client {bytes[0].toLocaleString('en-US')} bytes · server {bytes[1].toLocaleString('en-US')} bytes
        </span>
        <label>
          Show{' '}
          <select value={dir} data-testid="follow-dir" onChange={(e) => setDir(e.target.value as Dir)}>
            <option value="both">Entire conversation</option>
            <option value="ab">
              {nodes[0]} → {nodes[1]}
            </option>
            <option value="ba">
              {nodes[1]} → {nodes[0]}
            </option>
          </select>
        </label>
        <label>
          as{' '}
          <select value={mode} data-testid="follow-mode" onChange={(e) => setMode(e.target.value as Mode)}>
            {MODES.map(([m, l]) => (
              <option key={m} value={m}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          placeholder="Find"
          value={find}
          data-testid="follow-find"
          onChange={(e) => setFind(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') findNext();
          }}
        />
        <button type="button" onClick={findNext}>
          Find next
        </button>
        <button type="button" onClick={save} data-testid="follow-save">
          Save as…
        </button>
        <button type="button" onClick={filterOut} data-testid="follow-filter-out">
          Filter out this stream
        </button>
        <button type="button" onClick={close} data-testid="follow-back">
          Back
        </button>
      </footer>
    </section>
  );
}
