/**
 * Opening a capture: hands the File/Blob to the worker (never reads it here), feeds progress
 * into the store, and asks for the expert counts once the load is over. Opening another file
 * cancels the current load first.
 */
import { engine, type EngineClient, type LoadStatus, type OpenResult } from '../../engine-client';
import { useViewer } from '../../state/viewer';
import { useDiagnoses } from '../../state/diagnoses';

export async function openCapture(blob: Blob, name: string): Promise<void> {
  const st = useViewer.getState();
  if (st.fileName && st.frames > 0) {
    // A capture is open: a file that is not one (a PNG, an empty file) does not replace it.
    const why = await engine().probe(blob).catch(() => undefined);
    if (why) {
      useViewer.getState().showError(`${name}: ${why} ${st.fileName} stays open.`);
      return;
    }
  }
  return runLoad(name, (client, onProgress) => client.open(blob, name, onProgress)).done;
}

/**
 * Open the capture at `url` (`?url=`): the worker fetches it (the server must allow CORS) and
 * analyses it as it arrives. Fetch failures land in the error banner. Returns the load id.
 */
export function openCaptureUrl(url: string, name: string): { id: number; done: Promise<void> } {
  return runLoad(name, (client, onProgress) => client.openUrl(url, onProgress), '');
}

function runLoad(
  name: string,
  start: (client: EngineClient, onProgress: (p: LoadStatus) => void) => { id: number; done: Promise<OpenResult> },
  failPrefix = 'The capture could not be read: ',
): { id: number; done: Promise<void> } {
  const st = useViewer.getState();
  const client = engine();
  if (st.loadState === 'loading' && st.loadId) void client.cancel(st.loadId);
  const { id, done } = start(client, (p) => useViewer.getState().progress(p));
  useViewer.getState().beginLoad(name, id);
  const settled = done.then(
    (r) => {
      useViewer.getState().finishLoad({ id, frames: r.frames, elapsedMs: r.elapsedMs, cancelled: r.cancelled, error: r.error?.message, format: r.format, identity: r.identity });
      if (useViewer.getState().loadId === id && r.frames > 0) {
        void client.experts(id).then((e) => useViewer.getState().setExperts(id, e), () => undefined);
        void client.diagnoses(id).then((d) => useDiagnoses.getState().setItems(id, d), () => undefined);
      }
    },
    (e: unknown) => useViewer.getState().failLoad(id, `${failPrefix}${(e as Error).message ?? String(e)}`),
  );
  return { id, done: settled };
}

export function cancelLoad(): void {
  const st = useViewer.getState();
  if (st.loadState === 'loading') void engine().cancel(st.loadId);
}

/** The sample capture shipped with the app (same origin, relative to the page). */
export async function openSample(): Promise<void> {
  const res = await fetch('./sample.pcap');
  if (!res.ok) {
    useViewer.getState().failLoad(useViewer.getState().loadId, `The sample capture could not be fetched (HTTP ${res.status}).`);
    return;
  }
  await openCapture(await res.blob(), 'sample.pcap');
}
