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
 * `stream=` is the stream shown by Follow TCP Stream: opening it writes it, closing removes it,
 * and a link carrying it opens that stream's Follow view once the capture is loaded.
 *
 * `filter=` is the applied display filter: a link that carries one applies it (before the
 * capture loads, so it filters the frames as they arrive), and applying one rewrites it.
 *
 * The capture's bytes never go into a link; a local file is referred to by nothing at all
 * (the colleague opens the same file), a URL capture by its URL.
 */
import { useViewer } from '../../state/viewer';
import { useView } from '../../state/view';
import { useDiagnoses } from '../../state/diagnoses';
import { useListView } from '../../state/list-view';
import { useStats } from '../../state/stats';
import { openCaptureUrl } from '../open-file/load';
import { ROW_H } from '../packet-list/PacketList';
import { scrollScale } from '../packet-list/scroll-scale';
import { captureUrlParam, parseFragment, resolveCaptureUrl, sameView, serializeFragment, viewLink, type ViewState } from '../../app/url-state';

/** The packet list's scroller (owned by PacketList; found by its automation id). */
const listElement = () => document.querySelector<HTMLElement>('[data-testid=packet-list]');

/** The view waiting for a capture, from the link the page was opened with. */
let pending: ViewState | undefined;
/** The load id of the capture opened from a URL, and that URL. */
let urlLoad: { id: number; url: string } | undefined;
let writeTimer: ReturnType<typeof setTimeout> | undefined;

/** First frame at the top of the list, 1-based (undefined without a list). */
function topFrame(): number | undefined {
  const el = listElement();
  const frames = useViewer.getState().frames;
  if (!el || frames === 0) return undefined;
  const { ratio } = scrollScale(frames, ROW_H, el.clientHeight);
  return Math.min(frames, Math.floor((el.scrollTop * ratio) / ROW_H) + 1);
}

/** The view on screen now. */
export function currentView(): ViewState {
  const s = useViewer.getState();
  const v: ViewState = {};
  if (s.selected !== undefined) v.frame = s.selected;
  const top = topFrame();
  if (top !== undefined && top > 1) v.scroll = top;
  if (urlLoad && urlLoad.id === s.loadId) v.url = urlLoad.url;
  const filter = useView.getState().applied;
  if (filter) v.filter = filter;
  const d = useDiagnoses.getState();
  if (d.open) v.diag = d.card ?? 'open';
  const st = useStats.getState();
  if (st.view === 'follow' && st.stream !== undefined) v.stream = st.stream;
  const { marks, refs } = useListView.getState();
  if (marks.length) v.marks = marks;
  if (refs.length) v.refs = refs;
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

function writeFragment(): void {
  if (pending) return; // the link's own view is not applied yet: keep it as it is
  const v = currentView();
  if (sameView(v, parseFragment(location.hash))) return;
  history.replaceState(history.state, '', addressOf(v));
}

/**
 * A jump (Go to packet, a followed frame link) gets its own history entry, so Back and Forward
 * step through jumps; moving with the arrows only rewrites the current entry.
 */
function pushJump(): void {
  if (pending) return;
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

/** Apply the pending view to the capture now loaded. */
function applyPending(): void {
  const v = pending;
  pending = undefined;
  if (!v) return;
  const s = useViewer.getState();
  const el = listElement();
  if (v.scroll !== undefined && el) {
    const { ratio } = scrollScale(s.frames, ROW_H, el.clientHeight);
    el.scrollTop = ((Math.min(v.scroll, s.frames) - 1) * ROW_H) / ratio;
  }
  if (v.marks || v.refs) useListView.getState().restore(v.marks?.filter((n) => n <= s.frames), v.refs?.filter((n) => n <= s.frames));
  // Selecting scrolls the row into view if the restored scroll position does not show it.
  if (v.frame !== undefined && v.frame <= s.frames) s.setSelected(v.frame);
  if (v.diag !== undefined) {
    // The link's filter (tcp.stream eq N for a selected card) came with it: only the panel moves.
    const d = useDiagnoses.getState();
    if (v.diag === 'open') d.setOpen(true);
    else d.selectCard(v.diag);
  }
  if (v.stream !== undefined) useStats.getState().follow(v.stream);
  scheduleWrite();
}

/** Read the page's address: open a linked capture, remember the view to restore. */
function readLocation(): void {
  const view = parseFragment(location.hash);
  const raw = captureUrlParam(location);
  // The link's filter applies now (and to the capture about to load); none in the link = none.
  if ((view.filter ?? '') !== useView.getState().applied) useView.getState().apply(view.filter ?? '');
  const { frame, scroll, stream, diag, marks, refs } = view;
  pending =
    frame !== undefined || scroll !== undefined || stream !== undefined || diag !== undefined || marks || refs
      ? { frame, scroll, stream, diag, marks, refs }
      : undefined;
  const st = useViewer.getState();
  const loaded = st.loadState !== 'loading' && st.frames > 0;
  if (raw === undefined) {
    // A fragment edited by hand over an open local file: move the view now.
    if (loaded && pending) requestAnimationFrame(applyPending);
    return;
  }
  const r = resolveCaptureUrl(raw, location.href);
  if (!r.ok) {
    useViewer.getState().failLoad(useViewer.getState().loadId, r.message);
    return;
  }
  if (urlLoad && urlLoad.url === r.url && urlLoad.id === st.loadId) {
    // Same capture already open (fragment edited by hand): just move the view.
    if (loaded) requestAnimationFrame(applyPending);
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
  window.addEventListener('hashchange', () => {
    // Our own replaceState calls do not fire hashchange: this is a hand-edited or pasted link.
    if (!sameView(parseFragment(location.hash), currentView())) readLocation();
  });
  useViewer.subscribe((s, prev) => {
    const ended = prev.loadState === 'loading' && s.loadState !== 'loading' && s.loadId === prev.loadId;
    if (ended && s.frames > 0 && pending) {
      // Let React render the list for the final frame count first.
      requestAnimationFrame(() => requestAnimationFrame(applyPending));
      return;
    }
    if (s.jumps !== prev.jumps && s.loadId === prev.loadId) pushJump();
    else if (s.selected !== prev.selected || s.loadId !== prev.loadId) scheduleWrite();
  });
  useView.subscribe((s, prev) => {
    if (s.applied !== prev.applied) scheduleWrite();
  });
  useListView.subscribe((s, prev) => {
    if (s.marks !== prev.marks || s.refs !== prev.refs) scheduleWrite();
  });
  useStats.subscribe((s, prev) => {
    if (s.stream !== prev.stream || (s.view === 'follow') !== (prev.view === 'follow')) scheduleWrite();
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
