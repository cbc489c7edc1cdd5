/**
 * The packet list: a virtualized, fixed-row-height table over every frame of the capture.
 *
 *   @tanstack/react-virtual  which frames are on screen (count = frames, even ten million)
 *   RowCache + engine.rows   fetch those rows from the worker in blocks (one message per batch)
 *   @tanstack/react-table    column definitions, sizing and resizing for the rendered rows
 *
 * Fixed row height (ROW_H) keeps every position computable without measuring, which is what
 * lets the list jump anywhere in O(1) and scale the scroll range (scroll-scale.ts).
 * Keyboard: ↑/↓, Page Up/Down, Home/End move the selection; Ctrl+G opens "go to frame".
 *
 * The list works on positions. Without a display filter or sort, position = frame number and
 * rows come from engine.rows; with one, the worker holds the view (worker/view.ts) and the
 * list asks for the rows at positions (engine.viewRows) of the view's generation. Selection
 * stays a frame number; its position is asked from the worker when not known. Clicking a
 * column header sorts by it (again: reversed), in the worker.
 */
import { memo, useCallback, useEffect, useMemo, useReducer, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { observeElementOffset, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { FrameRow } from '../../../engine/model/types';
import { engine } from '../../engine-client';
import { useViewer } from '../../state/viewer';
import { useView, type SortColumn } from '../../state/view';
import { formatCount } from '../../format';
import { useListView, rowOpts } from '../../state/list-view';
import { FieldColumnHeader } from '../list-view/FieldColumnHeader';
import { BLOCK, RowCache } from './row-cache';
import { scrollScale } from './scroll-scale';
import { useColumnPrefs } from './column-prefs';
import { ColumnMenu } from './ColumnMenu';
import { HeaderMenu, sortList } from './HeaderMenu';
import { RowMenu } from '../context-menu/RowMenu';
import { CONV_COLORS, CONV_FOREGROUND, convColorSlot } from '../conversations/conv-colors';
import { EvidenceBadge } from '../diagnoses/DiagnosesPanel';
// Plain data and a pure function from engine/fields (allowed by ARCHITECTURE.md; the lint pattern's negation does not match relative paths).
// eslint-disable-next-line no-restricted-imports
import { COLOUR_RULES, darkColours } from '../../../engine/fields/colour-rules';

/** Row height in px: fixed, see the file comment. */
export const ROW_H = 22;
/** Rows rendered above and below the viewport. */
const OVERSCAN = 10;

/** A row not fetched yet: drawn as an empty line with its number. */
type Cell = FrameRow | { number: number; pending: true };
const isRow = (c: Cell): c is FrameRow => !('pending' in c);

/** Wireshark's Bad TCP colours: a flag cell wears them only when the frame matches that rule. */
const BAD_TCP = COLOUR_RULES.badTcp;

const col = (id: string, header: string, size: number): ColumnDef<Cell> => ({ id, header, size, cell: (c) => cellText(id, c.row.original) });
/** "Apply as column" fields: column `x<i>` shows the row's extra[i]. */
const fieldCols = (names: readonly string[]): ColumnDef<Cell>[] => names.map((name, i) => col(`x${i}`, name, 120));
const COLUMNS: ColumnDef<Cell>[] = [
  col('no', 'No.', 80),
  col('time', 'Time', 110),
  col('source', 'Source', 150),
  col('destination', 'Destination', 150),
  col('protocol', 'Protocol', 72),
  col('length', 'Length', 64),
  col('flags', 'TCP analysis', 220),
  col('info', 'Info', 640),
];

/** Info keeps at least this much of a narrow window (the other columns shrink for it)… */
const INFO_MIN = 240;
/** …and takes what is left when they cannot shrink further, down to this (then the list scrolls sideways). */
const INFO_FLOOR = 200;
/**
 * Columns that give up width in a narrow window (unless the user sized them), each down to the
 * width that still shows its usual text whole: a 7-digit No., the default Time (1.075900000), an
 * IPv4 address; TCP analysis goes furthest (Info repeats its words).
 */
const SHRINK_MIN: Record<string, number> = { no: 56, time: 92, source: 116, destination: 116, flags: 64 };

/**
 * Widths on screen: in a narrow list the shrinkable columns the user has not sized give up width
 * so that Info keeps INFO_MIN; the last column (Info) then takes whatever width is left (at least
 * its own when the user sized it), so there is no blank strip at the right.
 */
function fitColumns(cols: { id: string; size: number }[], width: number, userSized: Record<string, number>): { id: string; size: number }[] {
  if (!cols.length || width <= 0) return cols;
  const last = cols.length - 1;
  const out = cols.map((c) => ({ ...c }));
  const others = () => out.reduce((a, c, i) => (i === last ? a : a + c.size), 0);
  const excess = others() + INFO_MIN - width;
  if (excess > 0) {
    const min = (id: string) => SHRINK_MIN[id] ?? Infinity;
    const flex = out.filter((c, i) => i !== last && !(c.id in userSized) && c.size > min(c.id));
    const room = flex.reduce((a, c) => a + c.size - min(c.id), 0);
    const k = room > 0 ? Math.min(1, excess / room) : 0;
    for (const c of flex) c.size = Math.round(c.size - (c.size - min(c.id)) * k);
  }
  const rest = width - others();
  const own = out[last].id in userSized ? out[last].size : INFO_FLOOR;
  out[last].size = Math.max(own, rest);
  return out;
}

/** Time column widths of the longer time formats. */
const TIME_WIDTH: Record<string, number> = { abs: 250, tod: 150, tod_utc: 150, epoch: 180 };

const INITIAL_RECT = { width: 800, height: 400 };
/** Real scroll px × ratio = list px; the ratio of the list on screen (one list per page). */
const ratioRef = { current: 1 };
const scaledOffset = (inst: Virtualizer<HTMLDivElement, Element>, cb: (offset: number, scrolling: boolean) => void) =>
  observeElementOffset(inst, (off, scrolling) => cb(off * ratioRef.current, scrolling));
const scaledScrollTo = (offset: number, _opts: unknown, inst: Virtualizer<HTMLDivElement, Element>) => {
  const el = inst.scrollElement;
  if (el) el.scrollTop = offset / ratioRef.current;
};

/** Text of a cell (react-table's cell renderers call this too). */
function cellText(id: string, c: Cell): string | number {
  if (id === 'no') return c.number;
  if (!isRow(c)) return '';
  switch (id) {
    case 'time':
      return c.timeText;
    case 'source':
      return c.source;
    case 'destination':
      return c.destination;
    case 'protocol':
      return c.protocol;
    case 'length':
      return c.length;
    case 'flags':
      return c.flags.join(' ');
    default:
      return id.startsWith('x') ? (c.extra?.[Number(id.slice(1))] ?? '') : c.info;
  }
}

interface RowProps {
  c: Cell;
  pos: number;
  top: number;
  selected: boolean;
  /** Marked (Wireshark's Ctrl+M; here `m`): black background, white text. */
  marked: boolean;
  /** Colorize Conversation slot of the row's TCP stream (1..10), 0 for none. */
  convColor: number;
  columns: { id: string; size: number }[];
  width: number;
  onSelect: (n: number) => void;
}

/** One packet-list row; memoized so a progress tick re-renders only rows that changed. */
const PacketRow = memo(function PacketRow({ c, pos, top, selected, marked, convColor, columns, width, onSelect }: RowProps) {
  const style: CSSProperties = { transform: `translateY(${top}px)`, width, height: ROW_H };
  if (marked && !selected) {
    style.background = '#000000';
    style.color = '#ffffff';
  } else if (convColor && !selected) {
    style.background = CONV_COLORS[convColor - 1];
    style.color = CONV_FOREGROUND;
  } else if (isRow(c) && c.background && !selected) {
    // The rule's light and dark colours; app.css picks by theme (no re-render on a toggle).
    const d = darkColours(c);
    Object.assign(style, { '--rule-bg': c.background, '--rule-fg': c.foreground, '--rule-bg-dark': d.background, '--rule-fg-dark': d.foreground });
  }
  return (
    <div
      className={`pl-row${selected ? ' selected' : ''}${isRow(c) ? '' : ' pending'}${isRow(c) && c.background && !selected && !marked && !convColor ? ' ruled' : ''}`}
      style={style}
      role="row"
      aria-rowindex={pos}
      aria-selected={selected}
      data-testid="packet-row"
      data-frame={c.number}
      data-color-rule={isRow(c) ? c.colorRule : undefined}
      data-marked={marked || undefined}
      data-conv-color={convColor || undefined}
      onMouseDown={() => c.number > 0 && onSelect(c.number)}
    >
      {columns.map((col) => {
        const flags = col.id === 'flags';
        // Window Update, Keep-Alive and Keep-Alive ACK are not errors (the Bad TCP rule excludes
        // them): their words keep the row's colours. A selected row keeps the selection colours.
        const bad = flags && !selected && isRow(c) && c.flags.length > 0 && c.colorRule === BAD_TCP.name;
        return (
          <div
            key={col.id}
            className={`pl-td pl-${col.id}`}
            role="gridcell"
            style={{ width: col.size, ...(bad ? { background: BAD_TCP.background, color: BAD_TCP.foreground } : undefined) }}
            data-testid={flags ? 'flag-cell' : undefined}
          >
            {col.id === 'no' && c.number > 0 && <EvidenceBadge frame={c.number} />}
            {col.id === 'no' && c.number === 0 ? '' : cellText(col.id, c)}
          </div>
        );
      })}
    </div>
  );
});

export function PacketList() {
  const allFrames = useViewer((s) => s.frames);
  const loadId = useViewer((s) => s.loadId);
  const rowsVersion = useViewer((s) => s.rowsVersion);
  const selected = useViewer((s) => s.selected);
  const setSelected = useViewer((s) => s.setSelected);
  const jumpTo = useViewer((s) => s.jumpTo);
  const jumps = useViewer((s) => s.jumps);
  const loadState = useViewer((s) => s.loadState);
  const scrollRef = useRef<HTMLDivElement>(null);
  const headerRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState(400);
  const [viewWidth, setViewWidth] = useState(0);
  const prefs = useColumnPrefs();
  const cache = useMemo(() => new RowCache(), []);
  const [fetched, rerender] = useReducer((x: number) => x + 1, 0);
  const [goTo, setGoTo] = useState<string | undefined>(undefined);
  const [goToMsg, setGoToMsg] = useState<string | undefined>(undefined);
  const applied = useView((s) => s.applied);
  const sort = useView((s) => s.sort);
  const vstatus = useView((s) => s.status);
  // A filter or a sort: the list shows the worker's view (positions ≠ frame numbers).
  const active = applied !== '' || sort !== undefined;
  const viewOk = vstatus !== undefined && vstatus.loadId === loadId;
  const frames = active ? (viewOk ? vstatus.displayed : 0) : allFrames;
  const gen = active && viewOk ? vstatus.gen : -1;
  // Time format and references, added columns (the worker formats them), marks.
  const opts = useListView((s) => rowOpts(s));
  const marks = useListView((s) => s.marks);
  const markSet = useMemo(() => new Set(marks), [marks]);
  const convColors = useListView((s) => s.convColors);
  const plainRows = opts.time.format === 'rel' && !opts.time.refs.length && !opts.columns.length;

  const scale = scrollScale(frames, ROW_H, viewport);
  ratioRef.current = scale.ratio;

  // The virtualizer works on blocks of BLOCK rows, not on single rows: its layout pass is
  // O(count) whenever count changes (measured: 600 ms for 10 M items, 45 ms for 600 k), and
  // count changes every progress tick while loading. With 64-row blocks ten million frames
  // are 156 k items (~10 ms, only when a block fills up). Rows stay at fixed positions
  // ((n − 1) × ROW_H), so the list needs nothing else from it than the visible range.
  const blocks = Math.ceil(frames / BLOCK);
  const virtualizer = useVirtualizer({
    count: blocks,
    getScrollElement: useCallback(() => scrollRef.current, []),
    estimateSize: useCallback(() => BLOCK * ROW_H, []),
    overscan: 1,
    initialRect: INITIAL_RECT,
    // Real scroll px → list px (see scroll-scale.ts). Stable functions: the virtualizer
    // re-subscribes (and re-renders) whenever these change identity.
    observeElementOffset: scaledOffset,
    scrollToFn: scaledScrollTo,
  });

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setViewport(el.clientHeight);
      setViewWidth(el.clientWidth);
    });
    setViewWidth(el.clientWidth);
    ro.observe(el);
    setViewport(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // A new file or another view: forget fetched rows. The end of a load (final two-pass values): fetch again.
  const versionRef = useRef(rowsVersion);
  const loadRef = useRef(loadId);
  const viewKey = (active ? `v${gen}` : 'all') + JSON.stringify(opts);
  const viewRef = useRef(viewKey);
  if (versionRef.current !== rowsVersion || viewRef.current !== viewKey) {
    if (loadRef.current !== loadId || viewRef.current !== viewKey) cache.clear();
    else cache.invalidate();
    versionRef.current = rowsVersion;
    loadRef.current = loadId;
    viewRef.current = viewKey;
  }

  const blockItems = virtualizer.getVirtualItems();
  const vOff = virtualizer.scrollOffset ?? 0;
  // Frames on screen plus OVERSCAN rows each side, within the blocks the virtualizer reports.
  let first = 1;
  let last = 0;
  if (blockItems.length && frames > 0) {
    first = Math.max(blockItems[0].index * BLOCK + 1, Math.floor(vOff / ROW_H) + 1 - OVERSCAN);
    last = Math.min(frames, (blockItems[blockItems.length - 1].index + 1) * BLOCK, Math.ceil((vOff + viewport) / ROW_H) + OVERSCAN);
    first = Math.max(1, Math.min(first, last));
  }
  const items = useMemo(() => {
    const out: number[] = [];
    for (let n = first; n <= last; n++) out.push(n);
    return out;
  }, [first, last]);

  // Rows the worker sent with its first progress message: no request needed for them.
  const pushed = useViewer((s) => s.pushedRows);
  useEffect(() => {
    if (active || !plainRows || !pushed || pushed.id !== loadId || !pushed.rows.length || cache.get(1)) return;
    cache.put(1, pushed.rows.length, pushed.rows);
    rerender();
  }, [cache, pushed, loadId, active, plainRows]);

  useEffect(() => {
    if (!loadId || last < first) return;
    if (active && gen < 0) return;
    const version = rowsVersion;
    const key = viewKey;
    for (const [a, b] of cache.missing(first, last, frames)) {
      cache.request(a, b);
      const got = active ? engine().viewRows(loadId, gen, a, b, opts).then((r) => (r.gen === gen ? r.rows : [])) : engine().rows(loadId, a, b, opts);
      got.then(
        (rows) => {
          if (versionRef.current !== version || viewRef.current !== key) return;
          cache.put(a, b, rows);
          rerender();
        },
        () => cache.put(a, b, []),
      );
    }
  }, [cache, loadId, rowsVersion, first, last, frames, active, gen, viewKey, opts]);

  const scrollToPos = useCallback(
    (n: number, centre = false) => {
      const el = scrollRef.current;
      if (!el) return;
      const ratio = ratioRef.current;
      const top = (n - 1) * ROW_H;
      const vOff = el.scrollTop * ratio;
      const vh = el.clientHeight;
      // A jump puts its target in the middle (as Wireshark's Go to packet); a step scrolls just enough.
      // Whole rows: the top row is not cut (snapped to a row boundary, at most half a row off the middle).
      if (centre) el.scrollTop = Math.max(0, Math.round((top + ROW_H / 2 - vh / 2) / ROW_H) * ROW_H) / ratio;
      else if (top < vOff) el.scrollTop = top / ratio;
      else if (top + ROW_H > vOff + vh) el.scrollTop = (top + ROW_H - vh) / ratio + (ratio > 1 ? 1 : 0);
    },
    [],
  );

  // The selected frame's position in the list (0: hidden by the filter).
  // With the frame it was computed for: a jump centres only once its own position is known.
  const [selAt, setSelAt] = useState<{ pos: number; frame: number | undefined }>({ pos: 0, frame: undefined });
  const selPos = selAt.pos;
  const setSelPos = (pos: number) => setSelAt({ pos, frame: selected });
  const lastSel = useRef(selected);
  useEffect(() => {
    let live = true;
    // Selecting a frame the filter hides (a detail link, a link's frame=) says so.
    const moved = lastSel.current !== selected;
    lastSel.current = selected;
    if (selected === undefined || !loadId) setSelPos(0);
    else if (!active) setSelPos(selected);
    else if (gen >= 0) {
      void engine()
        .viewPosition(loadId, selected)
        .then((r) => {
          if (!live || r.gen !== gen) return;
          setSelPos(r.position);
          if (moved && r.position === 0) useView.getState().setNotice(`Frame ${selected} is hidden by the display filter.`);
        }, () => undefined);
    }
    return () => {
      live = false;
    };
  }, [selected, active, gen, loadId]);
  // The frame the last jump went to, until it is centred.
  const centreFor = useRef<number | undefined>(undefined);
  const jumpsSeen = useRef(jumps);
  if (jumpsSeen.current !== jumps) {
    jumpsSeen.current = jumps;
    centreFor.current = selected;
  }
  useEffect(() => {
    if (selPos <= 0) return;
    const centre = centreFor.current !== undefined && centreFor.current === selected && selAt.frame === selected;
    if (centre) centreFor.current = undefined;
    scrollToPos(selPos, centre);
  }, [selPos, selAt, jumps, selected, scrollToPos]);

  // Focus on the list once a file opens and once it is read, so arrows and Ctrl+G work without a
  // click — unless the user is typing somewhere (the filter bar, the go-to box).
  useEffect(() => {
    const a = document.activeElement;
    const typing = a instanceof HTMLElement && (a.isContentEditable || a.tagName === 'TEXTAREA' || (a instanceof HTMLInputElement && a.type !== 'file'));
    if (loadId && !typing) scrollRef.current?.focus({ preventScroll: true });
  }, [loadId, loadState]);

  // Stable unless the window or the fetched rows change: react-table resets internal state
  // (and re-renders) whenever `data` changes identity.
  const data: Cell[] = useMemo(
    () => items.map((n) => cache.get(n) ?? { number: active ? 0 : n, pending: true }),
    [items, cache, fetched, rowsVersion, active, viewKey],
  );
  const timeFormat = opts.time.format;
  const columnDefs = useMemo(() => {
    const w = TIME_WIDTH[timeFormat] ?? 110;
    const base = w === 110 ? COLUMNS : COLUMNS.map((c) => (c.id === 'time' ? { ...c, size: w } : c));
    // Added columns go before Info (the wide last column), so they are on screen.
    return opts.columns.length ? [...base.slice(0, -1), ...fieldCols(opts.columns), base[base.length - 1]] : base;
  }, [opts.columns, timeFormat]);
  const table = useReactTable({
    data,
    columns: columnDefs,
    getCoreRowModel: getCoreRowModel(),
    columnResizeMode: 'onChange',
    enableColumnResizing: true,
    getRowId: (_c, i) => String(i),
    state: { columnSizing: prefs.sizing, columnVisibility: prefs.visibility },
    onColumnSizingChange: prefs.setSizing,
    onColumnVisibilityChange: prefs.setVisibility,
  });
  const sizing = table.getState().columnSizing;
  // Column ids and widths for the rows; a new array only when a column is resized or shown/hidden.
  // The last column (Info) takes whatever width the others leave: no blank strip at the right.
  const columns = useMemo(() => fitColumns(table.getVisibleLeafColumns().map((col) => ({ id: col.id, size: col.getSize() })), viewWidth, sizing), [table, sizing, prefs.visibility, viewWidth, columnDefs]);
  const totalWidth = columns.reduce((a, c) => a + c.size, 0);

  const pageRows = Math.max(1, Math.floor(viewport / ROW_H) - 1);
  /** Select the frame at position p (clamped). */
  const move = (p: number) => {
    if (!frames) return;
    const pos = Math.min(frames, Math.max(1, p));
    const c = cache.get(pos);
    if (c) setSelected(c.number);
    else if (!active) setSelected(pos);
    else void engine().viewFrame(loadId, pos).then((r) => r.gen === gen && r.frame > 0 && setSelected(r.frame), () => undefined);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const cur = selPos;
    let handled = true;
    if (e.key === 'ArrowDown') move(cur + 1);
    else if (e.key === 'ArrowUp') move(cur - 1);
    else if (e.key === 'PageDown') move(cur + pageRows);
    else if (e.key === 'PageUp') move(cur - pageRows);
    else if (e.key === 'Home') move(1);
    else if (e.key === 'End') move(frames);
    else if ((e.key === 'g' || e.key === 'G') && (e.ctrlKey || e.metaKey)) {
      setGoTo('');
      setGoToMsg(undefined);
    }
    else handled = false;
    if (handled) e.preventDefault();
  };

  const toggleSort = (col: SortColumn) => {
    const cur = sort ?? { column: 'no', desc: false };
    sortList(col, cur.column === col ? !cur.desc : false);
  };

  // Rows are placed relative to the real scroll position (list px ≠ real px when scaled).
  const realTop = vOff / scale.ratio;

  return (
    <div className="packet-list">
      <ColumnMenu table={table} />
      <HeaderMenu table={table}>
      <div className="pl-header-clip">
        <div className="pl-header" ref={headerRef} style={{ width: totalWidth }} role="row">
          {table.getVisibleFlatColumns().map((col) => table.getFlatHeaders().find((h) => h.column.id === col.id)!).map((h, i) => (
            <div
              key={h.id}
              className="pl-th"
              role="columnheader"
              style={{ width: columns[i]?.size ?? h.getSize() }}
              data-testid={`col-${h.id}`}
              data-column={h.id}
              aria-sort={sort?.column === h.id ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              title="Sort by this column (again: reverse)"
              onClick={() => !h.id.startsWith('x') && toggleSort(h.id as SortColumn)}
            >
              {h.id.startsWith('x') ? <FieldColumnHeader field={String(h.column.columnDef.header)} /> : flexRender(h.column.columnDef.header, h.getContext())}
              {sort?.column === h.id && <span className="sort-mark">{sort.desc ? ' ▼' : ' ▲'}</span>}
              <div
                onClick={(e) => e.stopPropagation()}
                className={`pl-resizer${h.column.getIsResizing() ? ' resizing' : ''}`}
                onMouseDown={h.getResizeHandler()}
                onTouchStart={h.getResizeHandler()}
                role="separator"
                aria-label={`Resize ${String(h.column.columnDef.header)}`}
              />
            </div>
          ))}
        </div>
      </div>
      </HeaderMenu>
      <RowMenu>
      <div
        className="pl-scroll"
        ref={scrollRef}
        tabIndex={0}
        role="grid"
        aria-label="Packet list"
        aria-rowcount={frames}
        data-testid="packet-list"
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          if (headerRef.current) headerRef.current.style.transform = `translateX(${-e.currentTarget.scrollLeft}px)`;
        }}
      >
        {/* The spacer gives the scroll range; rows live in their own compositing layer so that
            the spacer growing while loading does not repaint them. */}
        <div style={{ height: scale.spacer, width: totalWidth }} />
        <div className="pl-layer" style={{ width: totalWidth }}>
          {data.map((c, i) => (
            <PacketRow
              key={items[i]}
              c={c}
              pos={items[i]}
              top={(items[i] - 1) * ROW_H - vOff + realTop}
              selected={c.number === selected}
              marked={c.number > 0 && markSet.has(c.number)}
              convColor={isRow(c) ? convColorSlot(convColors, c.stream) : 0}
              columns={columns}
              width={totalWidth}
              onSelect={setSelected}
            />
          ))}
        </div>
      </div>
      </RowMenu>
      {goTo !== undefined && (
        <form
          className="goto"
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(goTo);
            if (!(Number.isInteger(n) && n >= 1 && n <= allFrames)) {
              setGoToMsg(`There is no frame ${goTo} (1–${formatCount(allFrames)}).`);
              return;
            }
            const done = () => {
              jumpTo(n);
              setGoTo(undefined);
              setGoToMsg(undefined);
              scrollRef.current?.focus();
            };
            if (!active) return done();
            void engine()
              .viewPosition(loadId, n)
              .then((r) => (r.position > 0 ? done() : setGoToMsg(`Frame ${n} is hidden by the display filter.`)), () => undefined);
          }}
        >
          <label>
            Go to frame{' '}
            <input
              autoFocus
              data-testid="goto-input"
              inputMode="numeric"
              value={goTo}
              onChange={(e) => setGoTo(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  setGoTo(undefined);
                  scrollRef.current?.focus();
                }
              }}
            />
          </label>
          {goToMsg ? (
            <span className="goto-msg" role="alert" data-testid="goto-message">
              {goToMsg}
            </span>
          ) : (
            <span className="goto-hint">1–{formatCount(allFrames)}, Enter</span>
          )}
        </form>
      )}
    </div>
  );
}
