/** Entry: mount the app and, in dev/test, the e2e hook. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { installTestHooks } from './test-hooks';
import { registerServiceWorker } from './app/sw-register';
import { installLinkSync } from './features/links/link-sync';
import { installViewControl } from './features/filter/view-control';
import { engine } from './engine-client';
import { useViewer } from './state/viewer';
import './app/app.css';

installTestHooks();
registerServiceWorker();
installViewControl();
installLinkSync();
// Start the engine's worker now and let it compile its hot paths while the page is idle, so
// the first drop does not pay for worker start-up and cold code.
void engine().warmUp().catch(() => undefined);
// A worker that dies (crash, out of memory) is replaced by the client; say so where load errors go.
engine().onCrash = (message) => useViewer.getState().failLoad(useViewer.getState().loadId, message);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
