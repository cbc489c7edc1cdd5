/**
 * The graphs panel's UI state (zustand): open or not, the graph kind, the TCP stream and
 * direction, the zoom (the visible range in data units, undefined = everything), the I/O graph's
 * lines, interval and scale, the throughput's moving window, and the panel's height. Kind, stream,
 * direction and zoom are part of the link (features/links: `graph=`).
 */
import { create } from 'zustand';
import type { IoLine } from '../engine-client';

export type GraphKind = 'stevens' | 'tcptrace' | 'throughput' | 'rtt' | 'wscale' | 'io';
export const TCP_KINDS: GraphKind[] = ['stevens', 'tcptrace', 'throughput', 'rtt', 'wscale'];
export const GRAPH_KINDS: GraphKind[] = [...TCP_KINDS, 'io'];

export interface GraphZoom {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The I/O graph's default lines (engine/graphs/io-graph.ts DEFAULT_IO_LINES). */
export const DEFAULT_LINES: IoLine[] = [
  { name: 'All packets', filter: '', unit: 'frames' },
  { name: 'TCP errors', filter: 'tcp.analysis.flags && !tcp.analysis.window_update', unit: 'frames' },
];

export interface GraphsState {
  open: boolean;
  kind: GraphKind;
  /** tcp.stream of the TCP graphs (undefined: none chosen yet). */
  stream: number | undefined;
  dir: 0 | 1;
  zoom: GraphZoom | undefined;
  lines: IoLine[];
  intervalUs: number;
  /** The interval follows the capture's duration until one is chosen. */
  intervalAuto: boolean;
  logY: boolean;
  /** Throughput's moving average: over this many segments, or this many seconds when `tputSeconds`. */
  tputWindow: number;
  tputSeconds: boolean;
  /** Panel height, % of the panes. */
  height: number;

  show(g: { kind?: GraphKind; stream?: number; dir?: 0 | 1; zoom?: GraphZoom }): void;
  close(): void;
  setKind(kind: GraphKind): void;
  setStream(stream: number, dir?: 0 | 1): void;
  flipDir(): void;
  setZoom(zoom: GraphZoom | undefined): void;
  setLines(lines: IoLine[]): void;
  setInterval(us: number, auto?: boolean): void;
  setLogY(on: boolean): void;
  setTput(window: number, seconds: boolean): void;
  setHeight(pct: number): void;
}

export const useGraphs = create<GraphsState>()((set) => ({
  open: false,
  kind: 'tcptrace',
  stream: undefined,
  dir: 0,
  zoom: undefined,
  lines: DEFAULT_LINES,
  intervalUs: 100_000,
  intervalAuto: true,
  logY: false,
  tputWindow: 20,
  tputSeconds: false,
  height: 45,
  show: (g) =>
    set((s) => ({
      open: true,
      kind: g.kind ?? s.kind,
      stream: g.stream ?? s.stream,
      dir: g.dir ?? s.dir,
      zoom: g.zoom,
    })),
  close: () => set({ open: false, zoom: undefined }),
  setKind: (kind) => set((s) => (s.kind === kind ? {} : { kind, zoom: undefined })),
  setStream: (stream, dir) => set((s) => ({ stream, dir: dir ?? s.dir, zoom: undefined })),
  flipDir: () => set((s) => ({ dir: s.dir ? 0 : 1, zoom: undefined })),
  setZoom: (zoom) => set({ zoom }),
  setLines: (lines) => set({ lines }),
  setInterval: (intervalUs, auto = false) => set({ intervalUs, intervalAuto: auto, zoom: undefined }),
  setLogY: (logY) => set({ logY, zoom: undefined }),
  setTput: (tputWindow, tputSeconds) => set({ tputWindow, tputSeconds }),
  setHeight: (height) => set({ height: Math.min(85, Math.max(15, height)) }),
}));
