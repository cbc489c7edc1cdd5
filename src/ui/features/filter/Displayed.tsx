/** Status-bar part: "Displayed: N (P%)" while a filter is applied (Wireshark's words). */
import { useView } from '../../state/view';
import { useViewer } from '../../state/viewer';
import { formatCount } from '../../format';

export function Displayed() {
  const applied = useView((s) => s.applied);
  const status = useView((s) => s.status);
  const loadId = useViewer((s) => s.loadId);
  const frames = useViewer((s) => s.frames);
  if (!applied || !status || status.loadId !== loadId) return null;
  const pct = frames ? (status.displayed / frames) * 100 : 0;
  const shown = pct === 0 || pct === 100 || pct >= 1 ? pct.toFixed(1) : pct.toPrecision(2);
  return (
    <span data-testid="status-displayed" data-displayed={status.displayed} data-done={status.done}>
      Displayed: {formatCount(status.displayed)} ({shown}%)
    </span>
  );
}
