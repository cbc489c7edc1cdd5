/** Bottom bar: file, frames, load time, expert items by severity. */
import { useViewer } from '../../state/viewer';
import { formatCount, formatMs } from '../../format';
import { Displayed } from '../filter/Displayed';
import { DiagnosesCount } from '../diagnoses/DiagnosesPanel';
import { StatsButtons } from '../conversations/ConversationsPanel';
import { GraphButtons } from '../graphs/GraphDock';
import { useStats } from '../../state/stats';
import { SelectedField } from './SelectedField';

export function StatusBar() {
  const s = useViewer();
  const e = s.experts;
  return (
    <footer className="statusbar" data-testid="status-bar">
      <span data-testid="status-file">{s.fileName || 'No capture open'}</span>
      <SelectedField />
      {s.fileName && (
        <>
          <span data-testid="status-frames">Frames: {formatCount(s.frames)}</span>
          <Displayed />
          <span data-testid="status-time">
            {s.loadState === 'loading' ? 'Loading' : 'Load time'}: {formatMs(s.loadMs)}
          </span>
          {s.format && <span data-testid="status-format">{s.format}</span>}
          <DiagnosesCount />
          <StatsButtons />
          <GraphButtons />
          <span className="experts" data-testid="status-experts" title="Expert information">
            {e ? (
              <>
                <button
                  type="button"
                  className="sev-error"
                  data-testid="status-error"
                  onClick={() => useStats.getState().openExpert('error')}
                >
                  Errors {formatCount(e.error)}
                </button>
                <button type="button" className="sev-warn" data-testid="status-warn" onClick={() => useStats.getState().openExpert('warn')}>
                  Warnings {formatCount(e.warn)}
                </button>
                <button type="button" className="sev-note" data-testid="status-note" onClick={() => useStats.getState().openExpert('note')}>
                  Notes {formatCount(e.note)}
                </button>
                <button type="button" className="sev-chat" data-testid="status-chat" onClick={() => useStats.getState().openExpert('chat')}>
                  Chats {formatCount(e.chat)}
                </button>
              </>
            ) : (
              s.loadState !== 'loading' && s.frames > 0 && 'Counting expert items…'
            )}
          </span>
        </>
      )}
    </footer>
  );
}
