/** Top bar: open a file, open the sample, load progress with Cancel. */
import { useRef } from 'react';
import { useViewer } from '../../state/viewer';
import { formatCount, formatRate } from '../../format';
import { cancelLoad, openCapture, openSample } from './load';
import { CopyLinkButton } from '../links/CopyLinkButton';
import { ThemeToggle } from '../theme/ThemeToggle';
import { ListViewControls } from '../list-view/ListViewControls';

export function Toolbar() {
  const input = useRef<HTMLInputElement>(null);
  return (
    <header className="toolbar">
      <span className="brand">seqscope</span>
      <label className="button" title="Open a pcap, pcapng or gzip-compressed capture">
        Open capture…
        <input
          ref={input}
          type="file"
          data-testid="file-input"
          accept=".pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz,application/vnd.tcpdump.pcap"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) void openCapture(f, f.name);
            e.currentTarget.value = '';
          }}
        />
      </label>
      <button type="button" onClick={() => void openSample()} data-testid="open-sample">
        Open sample
      </button>
      <CopyLinkButton />
      <ListViewControls />
      <LoadStatus />
      <ThemeToggle />
    </header>
  );
}

function LoadStatus() {
  const state = useViewer((s) => s.loadState);
  const frames = useViewer((s) => s.frames);
  const percent = useViewer((s) => s.percent);
  const rate = useViewer((s) => s.rate);
  const cancelled = useViewer((s) => s.cancelled);
  return (
    <div className="load-status" data-testid="load-status" data-state={state} data-frames={frames} role="status" aria-live="polite">
      {state === 'loading' && (
        <>
          <progress max={100} value={percent} aria-label="Load progress" />
          <span>
            {Math.floor(percent)}% · {formatCount(frames)} frames · {formatRate(rate)}
          </span>
          <button type="button" onClick={cancelLoad} data-testid="cancel-load">
            Cancel
          </button>
        </>
      )}
      {state === 'done' && <span>{cancelled ? `Stopped: ${formatCount(frames)} frames read` : 'Analysed'}</span>}
    </div>
  );
}
