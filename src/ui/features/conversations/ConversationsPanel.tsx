/**
 * Statistics → Conversations / Endpoints: a drawer over the bottom of the panes with tabs
 * Ethernet, IPv4, IPv6, TCP, UDP and Wireshark's columns, sortable (click a header), virtualized
 * (@tanstack/react-virtual: 100 k rows scroll as 30). TCP conversations also show their stream,
 * completeness and analysis flags with a count per flag. Row actions: filter on the
 * conversation (A↔B, A→B, B→A) and Follow Stream. The tables are computed in the worker (one
 * decoding pass after the load) and reach the UI only through the engine client.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { engine } from '../../engine-client';
import { useStats } from '../../state/stats';
import { useViewer } from '../../state/viewer';
import { useView } from '../../state/view';
import type { ConvRow, ConvType, EndpointRow } from '../../../engine/stats/conversations';
import { useListView } from '../../state/list-view';
import { convFilter, type ConvDirection } from './conv-filter';
import { CONV_COLORS, convColorSlot } from './conv-colors';
import './conversations.css';

const TABS: { type: ConvType; label: string }[] = [
  { type: 'eth', label: 'Ethernet' },
  { type: 'ip', label: 'IPv4' },
  { type: 'ipv6', label: 'IPv6' },
  { type: 'tcp', label: 'TCP' },
  { type: 'udp', label: 'UDP' },
];

const sec = (t: { sec: number; ns: number }) => t.sec + t.ns / 1e9;
const COMPLETENESS: [number, string][] = [
  [32, 'R'],
  [16, 'F'],
  [8, 'D'],
  [4, 'A'],
  [2, 'SA'],
  [1, 'S'],
];
/** Wireshark's completeness picture ("RFDASAS"-style letters, '·' for a missing step). */
export function completenessText(c: number): string {
  return COMPLETENESS.map(([b, l]) => (c & b ? l : '·'.repeat(l.length))).join('');
}

interface Column<T> {
  id: string;
  label: string;
  value: (r: T) => number | string;
  text?: (r: T) => string;
  width: number;
  num?: boolean;
}

function bps(bytes: number, dur: number): string {
  return dur > 0 ? String(Math.round((bytes * 8) / dur)) : '—';
}

function convColumns(type: ConvType, flagsOf: (r: ConvRow) => string): Column<ConvRow>[] {
  const ports = type === 'tcp' || type === 'udp';
  const dur = (r: ConvRow) => sec(r.stop) - sec(r.start);
  const cols: Column<ConvRow>[] = [
    { id: 'addrA', label: 'Address A', value: (r) => r.addrA, width: 170 },
    ...(ports ? [{ id: 'portA', label: 'Port A', value: (r: ConvRow) => r.portA, width: 60, num: true }] : []),
    { id: 'addrB', label: 'Address B', value: (r) => r.addrB, width: 170 },
    ...(ports ? [{ id: 'portB', label: 'Port B', value: (r: ConvRow) => r.portB, width: 60, num: true }] : []),
    { id: 'packets', label: 'Packets', value: (r) => r.framesAB + r.framesBA, width: 70, num: true },
    { id: 'bytes', label: 'Bytes', value: (r) => r.bytesAB + r.bytesBA, width: 90, num: true },
    { id: 'packetsAB', label: 'Packets A→B', value: (r) => r.framesAB, width: 90, num: true },
    { id: 'bytesAB', label: 'Bytes A→B', value: (r) => r.bytesAB, width: 90, num: true },
    { id: 'packetsBA', label: 'Packets B→A', value: (r) => r.framesBA, width: 90, num: true },
    { id: 'bytesBA', label: 'Bytes B→A', value: (r) => r.bytesBA, width: 90, num: true },
    { id: 'start', label: 'Rel Start', value: (r) => sec(r.start), text: (r) => sec(r.start).toFixed(9), width: 110, num: true },
    { id: 'duration', label: 'Duration', value: dur, text: (r) => dur(r).toFixed(4), width: 80, num: true },
    {
      id: 'bpsAB',
      label: 'Bits/s A→B',
      value: (r) => (dur(r) > 0 ? (r.bytesAB * 8) / dur(r) : 0),
      text: (r) => bps(r.bytesAB, dur(r)),
      width: 90,
      num: true,
    },
    {
      id: 'bpsBA',
      label: 'Bits/s B→A',
      value: (r) => (dur(r) > 0 ? (r.bytesBA * 8) / dur(r) : 0),
      text: (r) => bps(r.bytesBA, dur(r)),
      width: 90,
      num: true,
    },
  ];
  if (type === 'tcp') {
    cols.unshift({ id: 'stream', label: 'Stream', value: (r) => r.stream, width: 60, num: true });
    cols.push({ id: 'flags', label: 'Analysis flags', value: flagsOf, width: 260 });
  }
  return cols;
}

function endpointColumns(type: ConvType): Column<EndpointRow>[] {
  const ports = type === 'tcp' || type === 'udp';
  return [
    { id: 'addr', label: 'Address', value: (r) => r.addr, width: 200 },
    ...(ports ? [{ id: 'port', label: 'Port', value: (r: EndpointRow) => r.port, width: 60, num: true }] : []),
    { id: 'packets', label: 'Packets', value: (r) => r.txFrames + r.rxFrames, width: 80, num: true },
    { id: 'bytes', label: 'Bytes', value: (r) => r.txBytes + r.rxBytes, width: 100, num: true },
    { id: 'txp', label: 'Tx Packets', value: (r) => r.txFrames, width: 90, num: true },
    { id: 'txb', label: 'Tx Bytes', value: (r) => r.txBytes, width: 100, num: true },
    { id: 'rxp', label: 'Rx Packets', value: (r) => r.rxFrames, width: 90, num: true },
    { id: 'rxb', label: 'Rx Bytes', value: (r) => r.rxBytes, width: 100, num: true },
  ];
}

/** Ask the worker for the tables of the open load once (when a statistics view first opens). */
function useConversationData() {
  const loadId = useViewer((s) => s.loadId);
  const loaded = useViewer((s) => s.loadState === 'done');
  const view = useStats((s) => s.view);
  const have = useStats((s) => s.loadId === loadId && s.data !== undefined);
  useEffect(() => {
    if (!view || view === 'follow' || !loaded || have || !loadId) return;
    // The TCP tabs come from the columns at once; the other tables follow (one pass over the file).
    void engine()
      .tcpConversations(loadId)
      .then(
        (t) => {
          if (t && useStats.getState().data === undefined) useStats.getState().setFast(loadId, t);
        },
        () => undefined,
      );
    void engine()
      .conversations(loadId)
      .then(
        (d) => useStats.getState().setData(loadId, d),
        () => undefined,
      );
  }, [view, loaded, have, loadId]);
  return useStats((s) => (s.loadId === loadId ? s.data : undefined));
}

export function ConversationsPanel() {
  const view = useStats((s) => s.view);
  const tab = useStats((s) => s.tab);
  const data = useConversationData();
  const loadId = useViewer((s) => s.loadId);
  const fast = useStats((s) => (s.loadId === loadId ? s.fast : undefined));
  if (view !== 'conversations' && view !== 'endpoints') return null;
  const conv = view === 'conversations';
  return (
    <section
      className="stats-drawer"
      data-testid={conv ? 'conversations-panel' : 'endpoints-panel'}
      aria-label={conv ? 'Conversations' : 'Endpoints'}
    >
      <header className="stats-head">
        <strong>{conv ? 'Conversations' : 'Endpoints'}</strong>
        <div className="stats-tabs" role="tablist">
          {TABS.map((t) => (
            <button
              key={t.type}
              type="button"
              role="tab"
              aria-selected={tab === t.type}
              data-testid={`stats-tab-${t.type}`}
              onClick={() => useStats.getState().setTab(t.type)}
            >
              {t.label}
              {data
                ? ` · ${(conv ? data.conv[t.type] : data.endpoints[t.type]).length}`
                : t.type === 'tcp' && fast
                  ? ` · ${(conv ? fast.rows : fast.endpoints).length}`
                  : ''}
            </button>
          ))}
        </div>
        <button type="button" className="stats-close" aria-label="Close" onClick={() => useStats.getState().open(undefined)}>
          ×
        </button>
      </header>
      {!data && tab === 'tcp' && fast ? (
        conv ? (
          <ConvTable key="c-tcp" type="tcp" rows={fast.rows} tcp={fast.tcp} />
        ) : (
          <SortedTable key="e-tcp" rows={fast.endpoints} columns={endpointColumns('tcp')} testid="endpoint-row" />
        )
      ) : !data ? (
        <p className="placeholder" data-testid="stats-counting">
          Counting…
        </p>
      ) : conv ? (
        <ConvTable key={`c-${tab}`} type={tab} rows={data.conv[tab]} tcp={data.tcp} />
      ) : (
        <SortedTable key={`e-${tab}`} rows={data.endpoints[tab]} columns={endpointColumns(tab)} testid="endpoint-row" />
      )}
    </section>
  );
}

function ConvTable({
  type,
  rows,
  tcp,
}: {
  type: ConvType;
  rows: ConvRow[];
  tcp: { completeness: number; flags: { word: string; count: number }[] }[];
}) {
  const columns = useMemo(() => {
    const flagsOf = (r: ConvRow) =>
      r.stream >= 0 && tcp[r.stream] ? tcp[r.stream].flags.map((f) => `${f.word} ×${f.count}`).join(', ') : '';
    const cols = convColumns(type, flagsOf);
    if (type === 'tcp')
      cols.splice(cols.length - 1, 0, {
        id: 'complete',
        label: 'Completeness',
        value: (r) => tcp[r.stream]?.completeness ?? 0,
        text: (r) => completenessText(tcp[r.stream]?.completeness ?? 0),
        width: 100,
      });
    return cols;
  }, [type, tcp]);
  const actions = (r: ConvRow) => <RowActions type={type} row={r} />;
  return <SortedTable rows={rows} columns={columns} actions={actions} testid="conv-row" />;
}

function applyFilter(f: string): void {
  useView.getState().apply(f);
}

function RowActions({ type, row }: { type: ConvType; row: ConvRow }) {
  const dirs: [ConvDirection, string][] = [
    ['both', 'A↔B'],
    ['ab', 'A→B'],
    ['ba', 'B→A'],
  ];
  return (
    <span className="conv-actions">
      {dirs.map(([d, label]) => (
        <button
          key={d}
          type="button"
          title={`Filter: ${convFilter(type, row, d)}`}
          data-testid={`conv-filter-${d}`}
          onClick={() => applyFilter(convFilter(type, row, d))}
        >
          {label}
        </button>
      ))}
      {type === 'tcp' && (
        <button type="button" data-testid="conv-follow" onClick={() => useStats.getState().follow(row.stream)}>
          Follow
        </button>
      )}
      {type === 'tcp' && <ColorPicker stream={row.stream} />}
    </span>
  );
}

/** Colorize Conversation for a TCP row: Color 1..10 (the list's rows of this stream get it), or none. */
function ColorPicker({ stream }: { stream: number }) {
  const slot = useListView((s) => convColorSlot(s.convColors, stream));
  return (
    <select
      className="conv-color"
      title="Colorize Conversation"
      aria-label="Colorize Conversation"
      data-testid="conv-color"
      value={slot}
      style={slot ? { background: CONV_COLORS[slot - 1], color: '#000' } : undefined}
      onChange={(e) => {
        const n = Number(e.target.value);
        const lv = useListView.getState();
        if (n) lv.colorize(n, stream);
        else lv.uncolorize(stream);
      }}
    >
      <option value={0}>Colour…</option>
      {CONV_COLORS.map((bg, i) => (
        <option key={bg} value={i + 1} style={{ background: bg, color: '#000' }}>
          Color {i + 1}
        </option>
      ))}
    </select>
  );
}

function SortedTable<T>({
  rows,
  columns,
  actions,
  testid,
}: {
  rows: T[];
  columns: Column<T>[];
  actions?: (r: T) => React.ReactNode;
  testid: string;
}) {
  const [sort, setSort] = useState<{ id: string; desc: boolean } | undefined>(undefined);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const col = columns.find((c) => c.id === sort.id);
    if (!col) return rows;
    const keyed = rows.map((r, i) => ({ r, i, k: col.value(r) }));
    keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i) * (sort.desc ? -1 : 1));
    return keyed.map((x) => x.r);
  }, [rows, columns, sort]);
  const scroller = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({ count: sorted.length, getScrollElement: () => scroller.current, estimateSize: () => 22, overscan: 12 });
  const width = columns.reduce((a, c) => a + c.width, 0) + (actions ? 230 : 0);
  return (
    <div className="stats-table" ref={scroller} data-testid="stats-table">
      <div className="stats-tr stats-th-row" style={{ width }}>
        {columns.map((c) => (
          <button
            key={c.id}
            type="button"
            className={`stats-th${c.num ? ' num' : ''}`}
            style={{ width: c.width }}
            aria-sort={sort?.id === c.id ? (sort.desc ? 'descending' : 'ascending') : 'none'}
            onClick={() => setSort((s) => (s?.id === c.id ? { id: c.id, desc: !s.desc } : { id: c.id, desc: !!c.num }))}
          >
            {c.label}
            {sort?.id === c.id ? (sort.desc ? ' ▼' : ' ▲') : ''}
          </button>
        ))}
        {actions && <span className="stats-th" style={{ width: 230 }} />}
      </div>
      <div style={{ height: virt.getTotalSize(), position: 'relative', width }}>
        {virt.getVirtualItems().map((v) => {
          const r = sorted[v.index];
          return (
            <div key={v.key} className="stats-tr" data-testid={testid} style={{ transform: `translateY(${v.start}px)`, width }}>
              {columns.map((c) => (
                <span key={c.id} className={`stats-td${c.num ? ' num' : ''}`} style={{ width: c.width }} data-col={c.id}>
                  {c.text ? c.text(r) : String(c.value(r))}
                </span>
              ))}
              {actions && actions(r)}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** Status-bar buttons that open the statistics drawers. */
export function StatsButtons() {
  const view = useStats((s) => s.view);
  const hasFile = useViewer((s) => s.fileName !== '');
  if (!hasFile) return null;
  const toggle = (v: 'conversations' | 'endpoints') => useStats.getState().open(view === v ? undefined : v);
  return (
    <>
      <button
        type="button"
        className="stats-btn"
        data-testid="open-conversations"
        aria-pressed={view === 'conversations'}
        onClick={() => toggle('conversations')}
      >
        Conversations
      </button>
      <button
        type="button"
        className="stats-btn"
        data-testid="open-endpoints"
        aria-pressed={view === 'endpoints'}
        onClick={() => toggle('endpoints')}
      >
        Endpoints
      </button>
    </>
  );
}
