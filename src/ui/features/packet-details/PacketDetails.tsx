/**
 * The selected frame: its detail tree (left) and its bytes as hex + ASCII (right). Selecting a
 * tree node highlights its bytes; a node that names another frame ("This is an ACK to the
 * segment in frame: N") is a link that selects that frame. Everything is rendered as text.
 */
import { useEffect, useMemo, useState } from 'react';
import type { DetailNode, FrameDetail } from '../../../engine/model/types';
import { engine } from '../../engine-client';
import { useViewer } from '../../state/viewer';
import { hexLines, type HexSegment } from './hex';
import { FieldMenu } from '../filter/FieldMenu';
import { FrameDiagnoses } from '../diagnoses/DiagnosesPanel';
import { Split } from '../layout/Split';

/** Subtrees open by default: the TCP layer and its analysis, what this viewer is for. */
function openByDefault(n: DetailNode): boolean {
  return n.label.startsWith('Transmission Control Protocol') || n.label === '[SEQ/ACK analysis]' || n.label === '[TCP Analysis Flags]' || n.label === '[Timestamps]';
}

export function PacketDetails() {
  const selected = useViewer((s) => s.selected);
  const loadId = useViewer((s) => s.loadId);
  const rowsVersion = useViewer((s) => s.rowsVersion);
  const [detail, setDetail] = useState<FrameDetail | undefined>(undefined);
  const [node, setNode] = useState<DetailNode | undefined>(undefined);

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
        setNode(undefined);
      }, () => undefined);
    return () => {
      live = false;
    };
  }, [selected, loadId, rowsVersion]);

  const shown = detail && detail.number === selected ? detail : undefined;
  return (
    <Split
      id="seqscope-detail-bytes"
      orientation="horizontal"
      firstSize={60}
      className="details"
      first={
        <div className="detail-tree" data-testid="packet-detail" role="tree" aria-label="Packet details">
          {shown && <FrameDiagnoses frame={shown.number} />}
          {shown ? (
            shown.tree.map((n, i) => <TreeItem key={`${shown.number}:${i}`} node={n} depth={0} selected={node} onSelect={setNode} />)
          ) : (
            <p className="placeholder">{selected === undefined ? 'Select a packet to see its details.' : 'Loading…'}</p>
          )}
        </div>
      }
      second={<HexPane bytes={shown?.bytes} start={node?.start} length={node?.length} />}
    />
  );
}

function TreeItem({ node, depth, selected, onSelect }: { node: DetailNode; depth: number; selected: DetailNode | undefined; onSelect: (n: DetailNode) => void }) {
  const [open, setOpen] = useState(openByDefault(node));
  const jumpTo = useViewer((s) => s.jumpTo);
  const kids = node.children ?? [];
  const isSel = selected === node;
  return (
    <div role="treeitem" aria-expanded={kids.length ? open : undefined} aria-selected={isSel}>
      {/* Fields get Apply/Prepare as Filter on their context menu. */}
      <FieldMenu node={node}>
      <div
        className={`tree-line${isSel ? ' selected' : ''}${node.severity ? ` sev-${node.severity}` : ''}`}
        style={{ paddingLeft: 4 + depth * 16 }}
        onClick={() => onSelect(node)}
        onContextMenu={() => onSelect(node)}
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
            <TreeItem key={i} node={k} depth={depth + 1} selected={selected} onSelect={onSelect} />
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

function HexPane({ bytes, start, length }: { bytes: Uint8Array | undefined; start: number | undefined; length: number | undefined }) {
  const lines = useMemo(() => (bytes ? hexLines(bytes, start ?? -1, length ?? 0) : []), [bytes, start, length]);
  return (
    <div className="hex" data-testid="packet-bytes" aria-label="Packet bytes">
      {lines.map((l) => (
        <div className="hex-line" key={l.offset}>
          <span className="hex-off">{l.offset}</span>
          <Segments className="hex-bytes" segs={l.hex} />
          <Segments className="hex-ascii" segs={l.ascii} />
        </div>
      ))}
    </div>
  );
}
