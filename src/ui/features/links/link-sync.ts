/**
 * Keeps the view and the URL fragment in step (see app/url-state.ts for the keys).
 *
 *  - At start (and when the fragment is edited by hand): a `#url=`/`?url=` opens that capture;
 *    the rest of the fragment (frame, scroll) is a *pending view*, applied once the next
 *    capture has loaded — the one the link names, or the file the user then opens.
 *  - Afterwards, selecting a row or scrolling the list rewrites the fragment in place
 *    (history.replaceState: no history entry per click, nothing sent to any server).
 *  - `currentLink()` is what "Copy link to this view" copies.
 *
 * `diag=` is the Diagnoses panel (open, or its selected card's stream), restored after the load.
 * `marks=` and `refs=` are the marked and time-reference frames, restored after the load.
 * `colors=` is Colorize Conversation's slots (Color N → tcp.stream), restored after the load.
 * `stream=` is the stream shown by Follow TCP Stream: opening it writes it, closing removes it,
 * and a link carrying it opens that stream's Follow view once the capture is loaded.
 *
 * `graph=` is the graphs panel (kind, stream, direction, zoom): written as it changes, restored
 * after the load.
 *
 * `filter=` is the applied display filter: a link that carries one applies it (before the
 * capture loads, so it filters the frames as they arrive), and applying one rewrites it.
 *
 * `file=`, `size=` and `hash=` name the capture the view is for (its name, size and a fingerprint
 * of its first 64 KiB, computed in the worker). A link opened before any capture says which file
 * it waits for; opening another capture (another size or fingerprint: a renamed copy is the same
 * capture) says so and does not apply the link's frame-specific view (frame, scroll, marks, time
 * references, Follow stream, Diagnoses card) to it — they wait for the right file. The display
 * filter does apply: Wireshark keeps the display filter when another file is opened, it is a
 * question about packets, not about frame numbers, and the filter bar shows it.
 *
 * `scroll=` is the frame at the top of the list (a frame number, also with a filter or a sort);
 * it is restored once the displayed view is complete, to that frame exactly.
 *
 * The capture's bytes never go into a link; a local file is referred to by its name, size and
 * fingerprint (the colleague opens the same file), a URL capture also by its URL.
 */
import { useViewer } from '../../state/viewer';
import { useView } from '../../state/view';
import { useDiagnoses } from '../../state/diagnoses';
import { useListView } from '../../state/list-view';
import { useStats } from '../../state/stats';
import { useLink, sameCapture, type CaptureRef } from '../../state/link';
import { viewActive } from '../../state/view';
import { engine } from '../../engine-client';
import { useGraphs } from '../../state/graphs';
import { openCaptureUrl } from '../open-file/load';
import { ROW_H } from '../packet-list/PacketList';
import { scrollScale } from '../packet-list/scroll-scale';
import { captureUrlParam, parseFragment, resolveCaptureUrl, sameView, serializeFragment, viewLink, type ViewState } from '../../app/url-state';

/** The packet list's scroller (owned by PacketList; found by its automation id). */
const listElement = () => document.querySelector<HTMLElement>('[data-testid=packet-list]');

/** The view waiting for a capture, from the link the page was opened with. */
let pending: ViewState | undefined;
/** A link's view held back because another capture was opened: applied if the right one comes next. */
let deferred: ViewState | undefined;
/** The pending view is being applied (the scroll waits for the displayed view): no rewrite meanwhile. */
let applying = false;

/** The capture a link's view is for, when the link names one. */
function refOf(v: ViewState): CaptureRef | undefined {
  return v.file !== undefined && v.size !== undefined && v.hash !== undefined ? { name: v.file, size: v.size, hash: v.hash } : undefined;
}

/** Rows in the list: the displayed view's when a filter or sort is active. */
function listCount(): number {
  const { frames, loadId } = useViewer.getState();
  const v = useView.getState();
  return viewActive(v) && v.status?.loadId === loadId ? v.status.displayed : frames;
}
/** The load id of the capture opened from a URL, and that URL. */
let urlLoad: { id: number; url: string } | undefined;
let writeTimer: ReturnType<typeof setTimeout> | undefined;

/** Set by topFrame when the top row of a filtered or sorted list is not rendered yet. */
let topMissing = false;

/** The frame at the top of the list (undefined without a list, or while its row is not known yet). */
function topFrame(): number | undefined {
  topMissing = false;
  const el = listElement();
  const count = listCount();
  if (!el || count === 0) return undefined;
  const { ratio } = scrollScale(count, ROW_H, el.clientHeight);
  // Half a pixel of slack: a fractional scrollTop (zoom) must not read as the row above.
  const pos = Math.min(count, Math.floor((el.scrollTop * ratio + 0.5) / ROW_H) + 1);
  if (!viewActive(useView.getState())) return pos;
  // Filtered or sorted: the frame of the row at that position (rendered: it is on screen).
  const row = el.querySelector<HTMLElement>(`[data-testid=packet-row][aria-rowindex="${pos}"]`);
  const n = Number(row?.dataset.frame);
  topMissing = !(n > 0);
  return n > 0 ? n : parseFragment(location.hash).scroll;
}

/** The view on screen now. */
export function currentView(): ViewState {
  const s = useViewer.getState();
  const v: ViewState = {};
  if (s.selected !== undefined) v.frame = s.selected;
  const top = topFrame();
  if (top !== undefined && top > 1) v.scroll = top;
  if (urlLoad && urlLoad.id === s.loadId) v.url = urlLoad.url;
  if (s.identity) {
    v.file = s.identity.name;
    v.size = s.identity.size;
    v.hash = s.identity.hash;
  }
  const filter = useView.getState().applied;
  if (filter) v.filter = filter;
  const d = useDiagnoses.getState();
  if (d.open) v.diag = d.card ?? 'open';
  const st = useStats.getState();
  if (st.view === 'follow' && st.stream !== undefined) v.stream = st.stream;
  const { marks, refs } = useListView.getState();
  if (marks.length) v.marks = marks;
  if (refs.length) v.refs = refs;
  const colors = useListView.getState().convColors.flatMap((stream, i) => (stream === undefined ? [] : [{ slot: i + 1, stream }]));
  if (colors.length) v.colors = colors;
  const g = useGraphs.getState();
  if (g.open) v.graph = g.kind === 'io' ? { kind: 'io', zoom: g.zoom } : g.stream !== undefined ? { kind: g.kind, stream: g.stream, dir: g.dir, zoom: g.zoom } : { kind: g.kind };
  return v;
}

/** The link to the view on screen. */
export function currentLink(): string {
  return viewLink(location.href, currentView());
}

/** The page's address for view v. */
function addressOf(v: ViewState): string {
  const u = new URL(location.href);
  // Keep ?url= out of the address once it is in the fragment (viewLink does the same).
  return v.url ? viewLink(location.href, v) : `${u.origin}${u.pathname}${u.search}${serializeFragment(v)}`;
}

/** Writes put off because the list had not rendered its new top row yet (bounded). */
let topRetries = 0;

function writeFragment(): void {
  if (pending || applying) return; // the link's own view is not applied yet: keep it as it is
  const v = currentView();
  // A scroll event comes before the list renders the rows it scrolled to: with a filter or a
  // sort the top frame is read from its row, so wait for it (a small list window, 800×700,
  // holds no row past the old screen) instead of writing the old scroll= again.
  if (topMissing && topRetries < 20) {
    topRetries++;
    clearTimeout(writeTimer);
    writeTimer = setTimeout(writeFragment, 50);
    return;
  }
  topRetries = 0;
  if (sameView(v, parseFragment(location.hash))) return;
  history.replaceState(history.state, '', addressOf(v));
}

/**
 * A jump (Go to packet, a followed frame link) gets its own history entry, so Back and Forward
 * step through jumps; moving with the arrows only rewrites the current entry.
 */
function pushJump(): void {
  if (pending || applying) return;
  clearTimeout(writeTimer);
  const v = currentView();
  if (!sameView(v, parseFragment(location.hash))) history.pushState(history.state, '', addressOf(v));
  // The list centres the target once rendered: the entry then gets that scroll position.
  lastWrite = performance.now();
  scheduleWrite();
}

/**
 * Write soon: at once when the last write is old enough, else when it is (browsers throttle
 * history calls — Chrome above ~200 per 10 s — and a held arrow key selects 30 rows a second).
 */
let lastWrite = -Infinity;
const MIN_GAP_MS = 80;
function scheduleWrite(): void {
  clearTimeout(writeTimer);
  const wait = lastWrite + MIN_GAP_MS - performance.now();
  const run = () => {
    lastWrite = performance.now();
    writeFragment();
  };
  if (wait <= 0) run();
  else writeTimer = setTimeout(run, wait);
}

/** Resolves when the displayed view of load `loadId` is complete (filter run, sort applied), or no view is active. */
function viewSettled(loadId: number): Promise<void> {
  const ready = () => {
    const v = useView.getState();
    return useViewer.getState().loadId !== loadId || !viewActive(v) || (v.status?.loadId === loadId && (v.status.done || v.status.stopped));
  };
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = useView.subscribe(() => {
      if (!ready()) return;
      stop();
      resolve();
    });
  });
}

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** Put `frame` at the top of the list: exactly, once the list is as tall as its rows. */
async function restoreScroll(frame: number): Promise<void> {
  const { loadId, frames } = useViewer.getState();
  let pos = Math.min(frame, frames);
  let count = frames;
  if (viewActive(useView.getState())) {
    await viewSettled(loadId);
    if (useViewer.getState().loadId !== loadId) return;
    if (viewActive(useView.getState())) {
      const r = await engine().viewPosition(loadId, frame).catch(() => undefined);
      // Hidden by the filter: the list stays where it is.
      if (!r || r.position === 0) return;
      pos = r.position;
      count = r.displayed;
    }
  }
  // The list renders its new height a frame or two later: until then scrollTop is clamped.
  for (let tries = 0; tries < 120; tries++) {
    const el = listElement();
    if (el && el.clientHeight > 0) {
      const { ratio, spacer } = scrollScale(count, ROW_H, el.clientHeight);
      const want = Math.ceil(((pos - 1) * ROW_H) / ratio);
      const tall = el.scrollHeight >= Math.floor(spacer);
      el.scrollTop = tall ? Math.min(want, el.scrollHeight - el.clientHeight) : want;
      if (tall || Math.abs(el.scrollTop - want) < 1) return;
    }
    await nextFrame();
  }
}

/** Apply the pending view to the capture now loaded (or hold it back if it is another capture). */
async function applyPending(): Promise<void> {
  const v = pending;
  pending = undefined;
  if (!v) return;
  const s = useViewer.getState();
  const wanted = refOf(v);
  const link = useLink.getState();
  link.setWanted(undefined);
  if (wanted && s.identity && !sameCapture(wanted, s.identity)) {
    // Another capture: frame numbers, marks and streams would point at the wrong packets.
    // The link's display filter stays applied (as Wireshark keeps the filter across files).
    deferred = v;
    link.setMismatch({ wanted, got: s.identity });
    if (v.diag === 'open') useDiagnoses.getState().setOpen(true);
    scheduleWrite();
    return;
  }
  deferred = undefined;
  link.setMismatch(undefined);
  applying = true;
  try {
    if (v.marks || v.refs) useListView.getState().restore(v.marks?.filter((n) => n <= s.frames), v.refs?.filter((n) => n <= s.frames));
    if (v.colors) for (const c of v.colors) useListView.getState().colorize(c.slot, c.stream);
    if (v.scroll !== undefined) await restoreScroll(v.scroll);
    if (useViewer.getState().loadId !== s.loadId) return;
    // Selecting scrolls the row into view if the restored scroll position does not show it.
    if (v.frame !== undefined && v.frame <= s.frames) s.setSelected(v.frame);
    if (v.diag !== undefined) {
      // The link's filter (tcp.stream eq N for a selected card) came with it: only the panel moves.
      const d = useDiagnoses.getState();
      if (v.diag === 'open') d.setOpen(true);
      else d.selectCard(v.diag);
    }
    if (v.stream !== undefined) useStats.getState().follow(v.stream);
    if (v.graph) useGraphs.getState().show(v.graph);
  } finally {
    applying = false;
    scheduleWrite();
  }
}

/** Read the page's address: open a linked capture, remember the view to restore. */
function readLocation(): void {
  const view = parseFragment(location.hash);
  const raw = captureUrlParam(location);
  // The link's filter applies now (and to the capture about to load); none in the link = none.
  if ((view.filter ?? '') !== useView.getState().applied) useView.getState().apply(view.filter ?? '');
  const { frame, scroll, stream, diag, marks, refs, colors, graph, file, size, hash } = view;
  const ref = refOf(view);
  pending =
    frame !== undefined || scroll !== undefined || stream !== undefined || diag !== undefined || marks || refs || colors || graph || ref
      ? { frame, scroll, stream, diag, marks, refs, colors, graph, file, size, hash }
      : undefined;
  const st = useViewer.getState();
  const loaded = st.loadState !== 'loading' && st.frames > 0;
  // Until a capture is open, the page says which one the link is for.
  useLink.getState().setWanted(ref && !(loaded && st.identity && sameCapture(ref, st.identity)) ? ref : undefined);
  if (raw === undefined) {
    // A fragment edited by hand over an open local file: move the view now.
    if (loaded && pending) requestAnimationFrame(() => void applyPending());
    return;
  }
  const r = resolveCaptureUrl(raw, location.href);
  if (!r.ok) {
    useViewer.getState().failLoad(useViewer.getState().loadId, r.message);
    return;
  }
  if (urlLoad && urlLoad.url === r.url && urlLoad.id === st.loadId) {
    // Same capture already open (fragment edited by hand): just move the view.
    if (loaded) requestAnimationFrame(() => void applyPending());
    return;
  }
  const name = new URL(r.url).pathname.split('/').filter(Boolean).pop() ?? r.url;
  const { id } = openCaptureUrl(r.url, decodeURIComponentSafe(name));
  urlLoad = { id, url: r.url };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

let installed = false;

export function installLinkSync(): void {
  if (installed) return;
  installed = true;
  readLocation();
  // Back/Forward: a write still waiting (throttled, or waiting for the list's top row) was for the
  // entry just left; run late, it would overwrite the entry arrived at with the view being left.
  window.addEventListener('popstate', () => {
    clearTimeout(writeTimer);
    topRetries = 0;
  });
  window.addEventListener('hashchange', () => {
    // Our own replaceState calls do not fire hashchange: this is a hand-edited or pasted link.
    if (!sameView(parseFragment(location.hash), currentView())) readLocation();
  });
  useViewer.subscribe((s, prev) => {
    const ended = prev.loadState === 'loading' && s.loadState !== 'loading' && s.loadId === prev.loadId;
    if (ended && s.frames > 0 && !pending && deferred) {
      // A link's view held back for another capture: this one may be the right one.
      const ref = refOf(deferred);
      if (!ref || !s.identity || sameCapture(ref, s.identity)) [pending, deferred] = [deferred, undefined];
      else useLink.getState().setMismatch({ wanted: ref, got: s.identity });
    }
    if (ended && s.frames > 0 && pending) {
      // Let React render the list for the final frame count first.
      requestAnimationFrame(() => requestAnimationFrame(() => void applyPending()));
      return;
    }
    if (s.jumps !== prev.jumps && s.loadId === prev.loadId) pushJump();
    else if (s.selected !== prev.selected || s.loadId !== prev.loadId || s.identity !== prev.identity) scheduleWrite();
  });
  useView.subscribe((s, prev) => {
    if (s.applied !== prev.applied) scheduleWrite();
  });
  useListView.subscribe((s, prev) => {
    if (s.marks !== prev.marks || s.refs !== prev.refs || s.convColors !== prev.convColors) scheduleWrite();
  });
  useStats.subscribe((s, prev) => {
    if (s.stream !== prev.stream || (s.view === 'follow') !== (prev.view === 'follow')) scheduleWrite();
  });
  useGraphs.subscribe((s, prev) => {
    if (s.open !== prev.open || s.kind !== prev.kind || s.stream !== prev.stream || s.dir !== prev.dir || s.zoom !== prev.zoom) scheduleWrite();
  });
  useDiagnoses.subscribe((s, prev) => {
    if (s.open !== prev.open || s.card !== prev.card) scheduleWrite();
  });
  // Scrolling the packet list (scroll events do not bubble: listen in the capture phase).
  document.addEventListener(
    'scroll',
    (e) => {
      if (e.target instanceof HTMLElement && e.target.dataset.testid === 'packet-list') scheduleWrite();
    },
    true,
  );
}
