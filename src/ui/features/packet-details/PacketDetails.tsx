/**
 * The selected frame: its detail tree (left) and its bytes as hex + ASCII (right). Selecting a
 * tree node highlights its bytes; a node that names another frame ("This is an ACK to the
 * segment in frame: N") is a link that selects that frame. Everything is rendered as text.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { DetailNode, FrameDetail } from '../../../engine/model/types';
import { engine } from '../../engine-client';
import { useViewer } from '../../state/viewer';
import { hexLines, type HexSegment } from './hex';
import { FieldMenu } from '../filter/FieldMenu';
import { FrameDiagnoses } from '../diagnoses/DiagnosesPanel';
import { Split } from '../layout/Split';
import { useNarrow } from '../layout/use-narrow';
import { innermostAt, nodeKey, nodeValue, visibleNodes } from './tree-nav';

/** Subtrees open by default: the TCP layer and its analysis, what this viewer is for. */
function openByDefault(n: DetailNode): boolean {
  return n.label.startsWith('Transmission Control Protocol') || n.label === '[SEQ/ACK analysis]' || n.label === '[TCP Analysis Flags]' || n.label === '[Timestamps]';
}

export function PacketDetails() {
  const narrow = useNarrow();
  const selected = useViewer((s) => s.selected);
  const loadId = useViewer((s) => s.loadId);
  const rowsVersion = useViewer((s) => s.rowsVersion);
  const [detail, setDetail] = useState<FrameDetail | undefined>(undefined);
  // Selection and expansion by node key: they carry over to the next frame (a followed link keeps
  // the same subtree open and the same item selected, in view).
  const [selKey, setSelKey] = useState<string | undefined>(undefined);
  const [opened, setOpened] = useState<Record<string, boolean>>({});
  const isOpen = useCallback((n: DetailNode, key: string) => opened[key] ?? openByDefault(n), [opened]);
  const setOpen = (key: string, open: boolean) => setOpened((o) => ({ ...o, [key]: open }));
  const treeRef = useRef<HTMLDivElement>(null);
  const setSelectedField = useViewer((s) => s.setSelectedField);
  const jumpTo = useViewer((s) => s.jumpTo);

  useEffect(() => {
    let live = true;
    if (selected === undefined || !loadId) {
      setDetail(undefined);
      return;
    }
    engine()
      .detail(loadId, selected)
      .then((d) => {
        if (!live) return;
        setDetail(d);
      }, () => undefined);
    return () => {
      live = false;
    };
  }, [selected, loadId, rowsVersion]);

  const shown = detail && detail.number === selected ? detail : undefined;
  const flat = useMemo(() => (shown ? visibleNodes(shown.tree, isOpen) : []), [shown, isOpen]);
  const selIdx = flat.findIndex((f) => f.key === selKey);
  const node = selIdx >= 0 ? flat[selIdx].node : undefined;
  useEffect(() => setSelectedField(node ? { field: node.field, label: node.label } : undefined), [node, setSelectedField]);
  // Keep the selected item in view (after a followed link too).
  useEffect(() => {
    treeRef.current?.querySelector('.tree-line.selected')?.scrollIntoView({ block: 'nearest' });
  }, [selKey, shown]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!flat.length) return;
    const cur = selIdx;
    const f = cur >= 0 ? flat[cur] : undefined;
    let handled = true;
    if (e.key === 'ArrowDown') setSelKey(flat[Math.min(flat.length - 1, cur + 1)].key);
    else if (e.key === 'ArrowUp') setSelKey(flat[Math.max(0, cur - 1)].key);
    else if (e.key === 'Home') setSelKey(flat[0].key);
    else if (e.key === 'End') setSelKey(flat[flat.length - 1].key);
    else if (e.key === 'ArrowRight' && f) {
      if (f.node.children?.length && !isOpen(f.node, f.key)) setOpen(f.key, true);
      else if (f.node.children?.length && cur + 1 < flat.length) setSelKey(flat[cur + 1].key);
    } else if (e.key === 'ArrowLeft' && f) {
      if (f.node.children?.length && isOpen(f.node, f.key)) setOpen(f.key, false);
      else if (f.parent >= 0) setSelKey(flat[f.parent].key);
    } else if (e.key === 'Enter' && f?.node.link !== undefined) jumpTo(f.node.link);
    else if ((e.key === 'c' || e.key === 'C') && (e.ctrlKey || e.metaKey) && f && !window.getSelection()?.toString()) {
      void navigator.clipboard?.writeText(nodeValue(f.node)).catch(() => undefined);
      treeRef.current?.setAttribute('data-copied', nodeValue(f.node));
    } else handled = false;
    if (handled) e.preventDefault();
  };

  /** A click in the hex pane: select the innermost item covering that byte (opening its ancestors). */
  const onByte = (offset: number) => {
    if (!shown) return;
    const hit = innermostAt(shown.tree, offset);
    if (!hit) return;
    setOpened((o) => ({ ...o, ...Object.fromEntries(hit.ancestors.map((k) => [k, true])) }));
    setSelKey(hit.key);
  };

  return (
    <Split
      // A narrow window stacks the tree over the bytes (its own remembered position).
      key={narrow ? 'stacked' : 'side'}
      id={narrow ? 'seqscope-detail-bytes-stacked' : 'seqscope-detail-bytes'}
      orientation={narrow ? 'vertical' : 'horizontal'}
      firstSize={narrow ? 62 : 60}
      className="details"
      first={
        <div className="detail-tree" data-testid="packet-detail" role="tree" aria-label="Packet details" tabIndex={0} ref={treeRef} onKeyDown={onKeyDown}>
          {shown && <FrameDiagnoses frame={shown.number} />}
          {shown ? (
            shown.tree.map((n, i) => (
              <TreeItem key={`${shown.number}:${i}`} node={n} nodeK={nodeKey('', n, i)} depth={0} selKey={selKey} onSelect={setSelKey} isOpen={isOpen} setOpen={setOpen} />
            ))
          ) : (
            <p className="placeholder">{selected === undefined ? 'Select a packet to see its details.' : 'Loading…'}</p>
          )}
        </div>
      }
      second={<HexPane bytes={shown?.bytes} start={node?.start} length={node?.length} onByte={onByte} />}
    />
  );
}

interface TreeItemProps {
  node: DetailNode;
  nodeK: string;
  depth: number;
  selKey: string | undefined;
  onSelect: (key: string) => void;
  isOpen: (n: DetailNode, key: string) => boolean;
  setOpen: (key: string, open: boolean) => void;
}

function TreeItem({ node, nodeK, depth, selKey, onSelect, isOpen, setOpen: setOpenKey }: TreeItemProps) {
  const open = isOpen(node, nodeK);
  const setOpen = (v: boolean) => setOpenKey(nodeK, v);
  const jumpTo = useViewer((s) => s.jumpTo);
  const kids = node.children ?? [];
  const isSel = selKey === nodeK;
  return (
    <div role="treeitem" aria-expanded={kids.length ? open : undefined} aria-selected={isSel}>
      {/* Fields get Apply/Prepare as Filter on their context menu. */}
      <FieldMenu node={node}>
      <div
        className={`tree-line${isSel ? ' selected' : ''}${node.severity ? ` sev-${node.severity}` : ''}`}
        style={{ paddingLeft: 4 + depth * 16 }}
        onClick={() => onSelect(nodeK)}
        onContextMenu={() => onSelect(nodeK)}
        onDoubleClick={() => kids.length && setOpen(!open)}
        data-field={node.field}
      >
        <span
          className="twisty"
          onClick={(e) => {
            e.stopPropagation();
            if (kids.length) setOpen(!open);
          }}
        >
          {kids.length ? (open ? '▾' : '▸') : ''}
        </span>
        {node.link ? (
          <a
            href={`#frame-${node.link}`}
            className="frame-link"
            data-testid="frame-link"
            data-link={node.link}
            onClick={(e) => {
              e.preventDefault();
              e.stopPropagation();
              if (node.link !== undefined) jumpTo(node.link);
            }}
          >
            {node.label}
          </a>
        ) : (
          <span>{node.label}</span>
        )}
      </div>
      </FieldMenu>
      {open && kids.length > 0 && (
        <div role="group">
          {kids.map((k, i) => (
            <TreeItem key={i} node={k} nodeK={nodeKey(nodeK, k, i)} depth={depth + 1} selKey={selKey} onSelect={onSelect} isOpen={isOpen} setOpen={setOpenKey} />
          ))}
        </div>
      )}
    </div>
  );
}

function Segments({ className, segs }: { className: string; segs: HexSegment[] }) {
  return (
    <span className={className}>
      {segs.map((s, i) => (
        <span key={i} className={s.hl ? 'hl' : undefined}>
          {s.text}
        </span>
      ))}
    </span>
  );
}

/** The byte under a click in the hex pane: from the character clicked in a line's hex or ASCII column. */
function byteAt(e: MouseEvent<HTMLDivElement>): number | undefined {
  const pos = document.caretRangeFromPoint?.(e.clientX, e.clientY);
  if (!pos) return undefined;
  const line = (pos.startContainer.parentElement ?? undefined)?.closest('.hex-line');
  const col = (pos.startContainer.parentElement ?? undefined)?.closest('.hex-bytes, .hex-ascii');
  if (!line || !col) return undefined;
  // Characters before the click within the column.
  let before = 0;
  const walker = document.createTreeWalker(col, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t && t !== pos.startContainer; t = walker.nextNode()) before += t.textContent?.length ?? 0;
  before += pos.startOffset;
  const base = Number(line.getAttribute('data-offset'));
  if (col.classList.contains('hex-ascii')) return base + Math.min(15, before);
  const text = col.textContent ?? '';
  let byte = -1;
  for (const m of text.matchAll(/[0-9a-f]{2}/g)) if ((m.index ?? 0) <= before) byte++;
  return byte >= 0 ? base + byte : undefined;
}

function HexPane({ bytes, start, length, onByte }: { bytes: Uint8Array | undefined; start: number | undefined; length: number | undefined; onByte: (offset: number) => void }) {
  const lines = useMemo(() => (bytes ? hexLines(bytes, start ?? -1, length ?? 0) : []), [bytes, start, length]);
  return (
    <div
      className="hex"
      data-testid="packet-bytes"
      aria-label="Packet bytes"
      onClick={(e) => {
        const b = byteAt(e);
        if (b !== undefined && bytes && b < bytes.length) onByte(b);
      }}
    >
      {lines.map((l) => (
        <div className="hex-line" key={l.offset} data-offset={parseInt(l.offset, 16)}>
          <span className="hex-off">{l.offset}</span>
          <Segments className="hex-bytes" segs={l.hex} />
          <Segments className="hex-ascii" segs={l.ascii} />
        </div>
      ))}
    </div>
  );
}
