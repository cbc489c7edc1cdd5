/** Bottom bar: file, frames, load time, expert items by severity. */
import { useViewer } from '../../state/viewer';
import { formatCount, formatMs } from '../../format';
import { Displayed } from '../filter/Displayed';
import { DiagnosesCount } from '../diagnoses/DiagnosesPanel';
import { StatsButtons } from '../conversations/ConversationsPanel';

export function StatusBar() {
  const s = useViewer();
  const e = s.experts;
  return (
    <footer className="statusbar" data-testid="status-bar">
      <span data-testid="status-file">{s.fileName || 'No capture open'}</span>
      {s.fileName && (
        <>
          <span data-testid="status-frames">Frames: {formatCount(s.frames)}</span>
          <Displayed />
          <span data-testid="status-time">
            {s.loadState === 'loading' ? 'Loading' : 'Load time'}: {formatMs(s.loadMs)}
          </span>
          {s.format && <span>{s.format}</span>}
          <DiagnosesCount />
          <StatsButtons />
          <span className="experts" data-testid="status-experts" title="Expert information">
            {e ? (
              <>
                <span className="sev-error">Errors {formatCount(e.error)}</span>
                <span className="sev-warn">Warnings {formatCount(e.warn)}</span>
                <span className="sev-note">Notes {formatCount(e.note)}</span>
                <span className="sev-chat">Chats {formatCount(e.chat)}</span>
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
