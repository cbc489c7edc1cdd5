/**
 * What the link says about its capture (see link-sync.ts): before any capture is open, which file
 * the link's view waits for; when another capture was opened, that its frame-specific view was not
 * applied to it (the display filter was).
 */
import { useLink } from '../../state/link';
import { useViewer } from '../../state/viewer';
import { useView } from '../../state/view';
import { formatBytes } from '../../format';
import './links.css';

export function LinkBanner() {
  const wanted = useLink((s) => s.wanted);
  const mismatch = useLink((s) => s.mismatch);
  const hasFile = useViewer((s) => s.fileName !== '');
  const filter = useView((s) => s.applied);
  if (mismatch) {
    const { wanted: w, got } = mismatch;
    return (
      <div className="link-banner link-mismatch" role="status" data-testid="link-mismatch">
        <span className="link-text">
          This link is for <b>{w.name}</b> ({formatBytes(w.size)}), not {got.name} ({formatBytes(got.size)}
          {got.name === w.name ? ', another file by that name' : ''}): its selected frame, scroll position, marks and
          stream are not applied to it{filter ? '; its display filter is' : ''}. Open {w.name} to see the linked view.
        </span>
        <button type="button" className="link-close" aria-label="Close" data-testid="link-mismatch-close" onClick={() => useLink.getState().setMismatch(undefined)}>
          ✕
        </button>
      </div>
    );
  }
  if (wanted && !hasFile) {
    return (
      <div className="link-banner link-waiting" role="status" data-testid="link-waiting">
        Open <b>{wanted.name}</b> ({formatBytes(wanted.size)}) to see this view.
      </div>
    );
  }
  return null;
}
