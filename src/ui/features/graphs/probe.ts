/**
 * The graph on screen as the end-to-end tests and the browser benchmark read it
 * (window.__viewer.graph(), src/ui/test-hooks.ts): its kind and stream, the points of its
 * series in data units and where they sit on the canvas, the visible range, and draw timings.
 * Filled by the (lazily loaded) graph panel while it is mounted; this module stays tiny so the
 * first-load bundle does not carry the panel.
 */
export interface GraphProbe {
  kind: string;
  stream: number | undefined;
  dir: 0 | 1;
  /** Series ids, labels and point counts. */
  series: { id: string; label: string; points: number }[];
  /** The point of `frame` in series `id`: data values and CSS px within the graph canvas. */
  pointOf(id: string, frame: number): { x: number; y: number; y2?: number; px: number; py: number } | undefined;
  /** Every point of series `id` (x, y, frame), for checks against tshark's values. */
  points(id: string): { x: number[]; y: number[]; y2?: number[]; frames?: number[] } | undefined;
  view(): { x0: number; x1: number; y0: number; y1: number };
  /** ms of the last data draw; ms from the data's arrival to the first draw. */
  lastDrawMs(): number;
  firstDrawMs: number;
  /** performance.now() when the data arrived from the worker, and when its first draw ended. */
  arrivedAt: number;
  drawnAt: number;
  /** The frame ringed on the graph (the packet list's selection), if it has a point. */
  marked(): number | undefined;
  /** Counts of data draws (redraws while panning/zooming bump it). */
  draws(): number;
}

let current: GraphProbe | undefined;

export function setGraphProbe(p: GraphProbe | undefined): void {
  current = p;
}

export function graphProbe(): GraphProbe | undefined {
  return current;
}
