/**
 * Keeps the worker's view (display filter + sort) in step with the UI's wish (state/view.ts):
 * whenever the applied filter, the sort or the open capture changes, the view is sent to the
 * worker, and its status reports (matches found so far, progress) come back into the store.
 * A filter applied before a capture is opened (or from a link) applies to the next load, and
 * during a load to the frames as they arrive.
 */
import { engine } from '../../engine-client';
import { useViewer } from '../../state/viewer';
import { useView, viewActive } from '../../state/view';

/** The view last sent for a load (to know when clearing must be sent too). */
let sent: { loadId: number; active: boolean; ok: boolean } = { loadId: 0, active: false, ok: true };
let seq = 0;

async function send(): Promise<void> {
  const v = useView.getState();
  const loadId = useViewer.getState().loadId;
  if (!loadId) return;
  const active = viewActive(v);
  // A fresh load shows every frame in order already.
  if (!active && (sent.loadId !== loadId || !sent.active)) {
    sent = { loadId, active: false, ok: true };
    return;
  }
  const my = ++seq;
  sent = { loadId, active, ok: false };
  const r = await engine()
    .setView(loadId, v.applied, v.sort, (s) => useView.getState().setStatus(loadId, s))
    .catch(() => undefined);
  if (!r || my !== seq) return;
  if (r.ok) {
    sent = { loadId, active, ok: true };
    useView.getState().setStatus(loadId, r.status);
    return;
  }
  // Not open in the worker yet (a URL still connecting): sent again with the next progress.
  if (r.noCapture) return;
  // A filter that does not compile (typed filters are checked first; this is a link's):
  // the list stays unfiltered and the bar shows why.
  sent = { loadId, active: false, ok: true };
  useView.setState({ applied: '', draft: v.applied, check: { state: 'invalid', error: r.error } });
}

let installed = false;

export function installViewControl(): void {
  if (installed) return;
  installed = true;
  useView.subscribe((s, p) => {
    // A sort the worker dropped when stopped (setStatus) is not sent back: that would run the filter again.
    const dropped = s.sort === undefined && s.status !== p.status && s.status?.stopped === true;
    if (s.applied !== p.applied || (s.sort !== p.sort && !dropped)) void send();
  });
  useViewer.subscribe((s, p) => {
    if (s.loadId !== p.loadId) void send();
    else if (!sent.ok && sent.loadId === s.loadId && s.frames !== p.frames) void send();
  });
}
