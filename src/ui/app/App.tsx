/** The shell: toolbar, error banner, packet list over details + bytes, status bar; drop anywhere. */
import { useEffect, useState } from 'react';
import { useViewer } from '../state/viewer';
import { Toolbar } from '../features/open-file/Toolbar';
import { openCapture, openSample } from '../features/open-file/load';
import { PacketList } from '../features/packet-list/PacketList';
import { PacketDetails } from '../features/packet-details/PacketDetails';
import { StatusBar } from '../features/status/StatusBar';
import { FilterBar } from '../features/filter/FilterBar';
import { Navigate } from '../features/navigate/Navigate';
import { DiagnosesPanel } from '../features/diagnoses/DiagnosesPanel';
import { ConversationsPanel } from '../features/conversations/ConversationsPanel';
import { FollowPanel } from '../features/follow/FollowPanel';
import { ExpertPanel } from '../features/expert/ExpertPanel';
import { ListDock, LowerDock } from '../features/expert/Dock';
import { Split } from '../features/layout/Split';
import { LinkBanner } from '../features/links/LinkBanner';
import { GraphDock } from '../features/graphs/GraphDock';

function useFileDrop(): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      setOver(true);
    };
    const onLeave = (e: DragEvent) => {
      if (e.relatedTarget === null) setOver(false);
    };
    const onDrop = (e: DragEvent) => {
      e.preventDefault();
      setOver(false);
      const f = e.dataTransfer?.files[0];
      if (f) void openCapture(f, f.name);
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
  return over;
}

export function App() {
  const dragging = useFileDrop();
  const error = useViewer((s) => s.error);
  const dismissError = useViewer((s) => s.dismissError);
  const hasFile = useViewer((s) => s.fileName !== '');
  return (
    <div className="app">
      <Toolbar />
      {error && (
        <div className="error-banner" role="alert" data-testid="error-banner">
          <span className="error-text">{error}</span>
          <button type="button" className="error-close" aria-label="Close" data-testid="error-close" onClick={dismissError}>
            ✕
          </button>
        </div>
      )}
      <LinkBanner />
      {/* The panes are mounted from the start (empty), so that opening a file does not pay for
          their first render inside the drop event. */}
      <FilterBar />
      <Navigate />
      <main className="panes">
        <Split
          id="seqscope-list-details"
          orientation="vertical"
          firstSize={55}
          first={<ListDock>{<PacketList />}</ListDock>}
          second={<LowerDock>{<PacketDetails />}</LowerDock>}
        />
        <GraphDock />
        <DiagnosesPanel />
        <ConversationsPanel />
        <FollowPanel />
        <ExpertPanel />
        {!hasFile && (
          <div className="empty">
            <h1>Drop a capture here</h1>
            <p>pcap, pcapng or gzip-compressed. It is read in your browser and never leaves your machine.</p>
            <p>
              <button type="button" onClick={() => void openSample()}>
                Open the sample capture
              </button>
            </p>
          </div>
        )}
      </main>
      <StatusBar />
      {dragging && <div className="drop-overlay">Drop to open</div>}
    </div>
  );
}
