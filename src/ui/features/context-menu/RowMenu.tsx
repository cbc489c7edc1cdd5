/**
 * The packet list's row context menu (@radix-ui/react-context-menu: keyboard navigation, focus
 * management). A right-click selects the row (the list's mousedown) and the menu acts on the
 * selected frame: Apply / Prepare as Filter (the frame, or its TCP stream), Conversation Filter
 * (TCP, IPv4/IPv6, as Wireshark writes them), Colorize Conversation (Color 1..10 of the row's
 * TCP stream, Reset coloring: features/conversations/conv-colors.ts), Follow TCP Stream, TCP Stream Graph
 * (features/graphs), Copy (summary line, as filter,
 * bytes as hex), Mark / Unmark and Set / Unset Time Reference (state/list-view.ts, also the
 * `m` and `t` keys). Filters go through the view store's apply / setDraft.
 */
import type { ReactNode } from 'react';
import * as ContextMenu from '@radix-ui/react-context-menu';
import { engine } from '../../engine-client';
import type { FrameRow } from '../../../engine/model/types';
import { useViewer } from '../../state/viewer';
import { useView } from '../../state/view';
import { useStats } from '../../state/stats';
import { useListView } from '../../state/list-view';
import { convFilter } from '../conversations/conv-filter';
import { CONV_COLORS } from '../conversations/conv-colors';
import { openStreamGraph } from '../graphs/GraphDock';
import './row-menu.css';

/** The selected frame's row and, for TCP, its conversation's ends. */
async function frameInfo(): Promise<{ row: FrameRow; tcp?: { addrA: string; addrB: string; portA: number; portB: number } } | undefined> {
  const { loadId, selected } = useViewer.getState();
  if (!loadId || !selected) return undefined;
  const [row] = await engine().rows(loadId, selected, selected);
  if (!row) return undefined;
  if (row.stream < 0) return { row };
  const t = await engine().tcpConversations(loadId);
  const c = t?.rows.find((r) => r.stream === row.stream);
  return { row, tcp: c };
}

const isIp = (a: string) => /^\d+\.\d+\.\d+\.\d+$/.test(a) || (a.includes(':') && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(a));

async function conversation(kind: 'tcp' | 'ip'): Promise<string | undefined> {
  const f = await frameInfo();
  if (!f) return undefined;
  if (kind === 'tcp') return f.tcp ? convFilter('tcp', f.tcp, 'both') : undefined;
  const { source, destination } = f.row;
  if (!isIp(source) || !isIp(destination)) return undefined;
  return convFilter(source.includes(':') ? 'ipv6' : 'ip', { addrA: source, addrB: destination, portA: 0, portB: 0 }, 'both');
}

async function frameFilter(): Promise<string | undefined> {
  const f = await frameInfo();
  return f ? (f.row.stream >= 0 ? `tcp.stream eq ${f.row.stream}` : `frame.number == ${f.row.number}`) : undefined;
}

const apply = (f: string | undefined) => f && useView.getState().apply(f);
const prepare = (f: string | undefined) => f && useView.getState().setDraft(f);
const copy = (text: string | undefined) => text !== undefined && void navigator.clipboard?.writeText(text).catch(() => undefined);

async function summaryLine(): Promise<string | undefined> {
  const f = await frameInfo();
  if (!f) return undefined;
  const r = f.row;
  return [r.number, r.time.toFixed(6), r.source, r.destination, r.protocol, r.length, r.info].join('\t');
}

async function bytesHex(): Promise<string | undefined> {
  const { loadId, selected } = useViewer.getState();
  const d = loadId && selected ? await engine().detail(loadId, selected) : undefined;
  if (!d) return undefined;
  let s = '';
  for (const b of d.bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function Item({ label, testid, onSelect, swatch }: { label: string; testid: string; onSelect: () => void; swatch?: string }) {
  return (
    <ContextMenu.Item className="rm-item" data-testid={testid} onSelect={onSelect}>
      {swatch && <span className="rm-swatch" style={{ background: swatch }} aria-hidden="true" />}
      {label}
    </ContextMenu.Item>
  );
}

function Sub({ label, testid, children }: { label: string; testid: string; children: ReactNode }) {
  return (
    <ContextMenu.Sub>
      <ContextMenu.SubTrigger className="rm-item rm-sub" data-testid={testid}>
        {label} ▸
      </ContextMenu.SubTrigger>
      <ContextMenu.Portal>
        <ContextMenu.SubContent className="rm-menu">{children}</ContextMenu.SubContent>
      </ContextMenu.Portal>
    </ContextMenu.Sub>
  );
}

/** Run `f` on the selected frame, if any. */
function onSelected(f: (n: number) => void): void {
  const n = useViewer.getState().selected;
  if (n !== undefined) f(n);
}

/** Wraps the packet list's scroll area: its rows get this menu. */
export function RowMenu({ children }: { children: ReactNode }) {
  return (
    <ContextMenu.Root>
      <ContextMenu.Trigger asChild>{children}</ContextMenu.Trigger>
      <ContextMenu.Portal>
        <ContextMenu.Content className="rm-menu" data-testid="row-menu">
          <Item label="Apply as Filter" testid="rm-apply" onSelect={() => void frameFilter().then(apply)} />
          <Item label="Prepare as Filter" testid="rm-prepare" onSelect={() => void frameFilter().then(prepare)} />
          <Sub label="Conversation Filter" testid="rm-conv">
            <Item label="TCP" testid="rm-conv-tcp" onSelect={() => void conversation('tcp').then(apply)} />
            <Item label="IPv4 / IPv6" testid="rm-conv-ip" onSelect={() => void conversation('ip').then(apply)} />
          </Sub>
          <Sub label="Colorize Conversation" testid="rm-color">
            {CONV_COLORS.map((bg, i) => (
              <Item
                key={bg}
                label={`Color ${i + 1}`}
                testid={`rm-color-${i + 1}`}
                swatch={bg}
                onSelect={() =>
                  void frameInfo().then((f) => {
                    if (f && f.row.stream >= 0) useListView.getState().colorize(i + 1, f.row.stream);
                  })
                }
              />
            ))}
            <ContextMenu.Separator className="rm-sep" />
            <Item label="Reset coloring" testid="rm-color-reset" onSelect={() => useListView.getState().resetColors()} />
          </Sub>
          <Item
            label="Follow TCP Stream"
            testid="rm-follow"
            onSelect={() =>
              void frameInfo().then((f) => {
                if (f && f.row.stream >= 0) useStats.getState().follow(f.row.stream);
              })
            }
          />
          <Item label="TCP Stream Graph" testid="rm-graph" onSelect={() => void openStreamGraph()} />
          <ContextMenu.Separator className="rm-sep" />
          <Sub label="Copy" testid="rm-copy">
            <Item label="Summary line" testid="rm-copy-summary" onSelect={() => void summaryLine().then(copy)} />
            <Item label="As Filter" testid="rm-copy-filter" onSelect={() => void frameFilter().then(copy)} />
            <Item label="Bytes as Hex" testid="rm-copy-hex" onSelect={() => void bytesHex().then(copy)} />
          </Sub>
          <ContextMenu.Separator className="rm-sep" />
          <Item label="Mark / Unmark Frame (m)" testid="rm-mark" onSelect={() => onSelected(useListView.getState().toggleMark)} />
          <Item label="Set / Unset Time Reference (t)" testid="rm-ref" onSelect={() => onSelected(useListView.getState().toggleRef)} />
        </ContextMenu.Content>
      </ContextMenu.Portal>
    </ContextMenu.Root>
  );
}
