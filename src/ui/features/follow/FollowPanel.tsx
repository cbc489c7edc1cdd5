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
import { engine, type FollowDir, type FollowInfo, type FollowMeta, type FollowTextMode } from '../../engine-client';
import { useStats } from '../../state/stats';
import { useViewer } from '../../state/viewer';
import { useView } from '../../state/view';
// A pure formatter of engine/fields (allowed by ARCHITECTURE.md's import table; the restricted
// pattern's '**/engine/*' cannot re-include engine/fields/** for a nested path).
// eslint-disable-next-line no-restricted-imports
import { chunkText } from '../../../engine/fields/follow-text';
import '../conversations/conversations.css';

type Mode = FollowTextMode;
type Dir = FollowDir;
const MODES: [Mode, string][] = [
  ['ascii', 'ASCII'],
  ['hex', 'Hex Dump'],
  ['carray', 'C Arrays'],
  ['raw', 'Raw'],
  ['utf8', 'UTF-8'],
];

const utf8 = new TextDecoder('utf-8');
const decodeUtf8 = (d: Uint8Array) => utf8.decode(d);

/** Chunk bytes kept on this side: about the screens around the one shown (the worker re-reads the rest). */
const KEEP = 4096;

/**
 * The stream on screen: its chunks' frames, lengths and directions (streamed from the worker
 * batch by batch), and the bytes of the chunks near the visible ones only — a 100 MB stream
 * costs this side its chunk list, not its bytes.
 */
function useFollow(stream: number | undefined) {
  const loadId = useViewer((s) => s.loadId);
  const metas = useRef<FollowMeta[]>([]);
  const data = useRef(new Map<number, Uint8Array>());
  const asked = useRef(new Set<number>());
  const [state, setState] = useState<{ info: FollowInfo | undefined; count: number; done: boolean; bytesVersion: number }>({
    info: undefined,
    count: 0,
    done: false,
    bytesVersion: 0,
  });
  useEffect(() => {
    if (stream === undefined || !loadId) return;
    let live = true;
    metas.current = [];
    data.current = new Map();
    asked.current = new Set();
    setState({ info: undefined, count: 0, done: false, bytesVersion: 0 });
    void engine()
      .follow(loadId, stream, (batch) => {
        if (!live) return;
        for (const m of batch) metas.current.push(m);
        setState((s) => ({ ...s, count: metas.current.length }));
      })
      .then(
        (info) => live && setState((s) => ({ ...s, info, count: metas.current.length, done: true })),
        () => live && setState((s) => ({ ...s, done: true })),
      );
    return () => {
      live = false;
    };
  }, [stream, loadId]);

  /** Make sure the bytes of chunks from..to-1 are here or asked for. */
  const want = (from: number, to: number) => {
    if (stream === undefined || !loadId) return;
    let lo = from;
    while (lo < to && (data.current.has(lo) || asked.current.has(lo))) lo++;
    let hi = to;
    while (hi > lo && (data.current.has(hi - 1) || asked.current.has(hi - 1))) hi--;
    if (lo >= hi) return;
    for (let i = lo; i < hi; i++) asked.current.add(i);
    const map = data.current;
    void engine()
      .followData(loadId, stream, lo, hi)
      .then((got) => {
        if (map !== data.current || !got) return;
        got.forEach((d, k) => {
          map.set(lo + k, d);
          asked.current.delete(lo + k);
        });
        // Bounded: the chunks far from what was just asked for go (they are read again if needed).
        if (map.size > KEEP) for (const i of map.keys()) if (i < lo - KEEP / 2 || i >= hi + KEEP / 2) map.delete(i);
        setState((s) => ({ ...s, bytesVersion: s.bytesVersion + 1 }));
      }, () => undefined);
  };
  return { ...state, metas: metas.current, data: data.current, want };
}

/** Estimated lines of a chunk's text before it is measured (its bytes may not be here yet). */
function estLines(len: number, mode: Mode): number {
  switch (mode) {
    case 'hex':
      return Math.ceil(len / 16);
    case 'carray':
      return Math.ceil(len / 8) + 1;
    case 'raw':
      return Math.ceil((2 * len) / 120);
    default:
      return Math.ceil(len / 120);
  }
}

export function FollowPanel() {
  const view = useStats((s) => s.view);
  const stream = useStats((s) => s.stream);
  const backFilter = useStats((s) => s.backFilter);
  const loadId = useViewer((s) => s.loadId);
  const { info, count, done, metas, data, want } = useFollow(view === 'follow' ? stream : undefined);
  const [mode, setMode] = useState<Mode>('ascii');
  const [dir, setDir] = useState<Dir>('both');
  const [find, setFind] = useState('');
  const [hit, setHit] = useState(-1);
  const scroller = useRef<HTMLDivElement>(null);

  // The chunks shown (by direction), each chunk's offset in its direction (the hex dump counts
  // each direction from 0) and its number among them (C arrays): from the lengths alone.
  const { shown, pos, nth, bytes } = useMemo(() => {
    const n = count;
    const shown: number[] = [];
    const pos = new Float64Array(n);
    const nth = new Uint32Array(n);
    const p = [0, 0];
    const k = [0, 0];
    const bytes: [number, number] = [0, 0];
    for (let i = 0; i < n; i++) {
      const m = metas[i];
      const d = m.server ? 1 : 0;
      if (dir === 'both' || (dir === 'ab') === !m.server) shown.push(i);
      pos[i] = p[d];
      nth[i] = k[d]++;
      p[d] += m.len;
      if (!m.missing) bytes[d] += m.len;
    }
    return { shown, pos, nth, bytes };
  }, [metas, count, dir]);

  const virt = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => 18 * (1 + estLines(metas[shown[i]]?.len ?? 0, mode)),
    overscan: 6,
  });
  const items = virt.getVirtualItems();
  const first = items.length ? shown[items[0].index] : 0;
  const last = items.length ? shown[items[items.length - 1].index] : -1;
  useEffect(() => {
    if (last >= first) want(first, last + 1);
  });

  if (view !== 'follow' || stream === undefined) return null;
  const nodes = info
    ? [info.client, info.server].map((n) => (n ? (n.v6 ? `[${n.addr}]:${n.port}` : `${n.addr}:${n.port}`) : '?'))
    : ['…', '…'];

  const findNext = () => {
    if (!find || !loadId) return;
    void engine()
      .followFind(loadId, stream, find, mode, dir, hit)
      .then((i) => {
        setHit(i);
        if (i < 0) return;
        // Its place among the chunks shown (ascending chunk numbers).
        let lo = 0;
        let hi = shown.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (shown[mid] < i) lo = mid + 1;
          else hi = mid;
        }
        virt.scrollToIndex(lo, { align: 'center' });
      });
  };

  const save = () => {
    if (!loadId) return;
    void engine()
      .followSave(loadId, stream, dir)
      .then((blob) => {
        if (!blob) return;
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = `tcp-stream-${stream}${dir === 'both' ? '' : dir === 'ab' ? '-a-to-b' : '-b-to-a'}.bin`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      });
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
          {items.map((v) => {
            const i = shown[v.index];
            const m = metas[i];
            const d = data.get(i);
            return (
              <div
                key={v.key}
                ref={virt.measureElement}
                data-index={v.index}
                data-testid="follow-chunk"
                data-frame={m.frame}
                data-server={m.server ? '1' : '0'}
                data-pending={d ? undefined : ''}
                className={`follow-chunk ${m.server ? 'server' : 'client'}${i === hit ? ' hit' : ''}`}
                style={{ transform: `translateY(${v.start}px)`, minHeight: d ? undefined : v.size }}
                title={`Frame ${m.frame}`}
                onClick={() => useViewer.getState().jumpTo(m.frame)}
              >
                {d ? chunkText(d, m.server, mode, pos[i], nth[i], decodeUtf8) : ''}
              </div>
            );
          })}
        </div>
      </div>
      <footer className="follow-foot">
        <span>
          {count} chunks · client {bytes[0].toLocaleString('en-US')} bytes · server {bytes[1].toLocaleString('en-US')} bytes
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
