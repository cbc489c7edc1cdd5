/**
 * Expert Information docked in the panes (its drawer form is App's): as a tab of the lower pane,
 * beside the packet details, or beside the packet list in a split of its own. The dock is
 * chosen in the panel's header and remembered (state/stats.ts).
 */
import type { ReactNode } from 'react';
import { useStats } from '../../state/stats';
import { Split } from '../layout/Split';
import { ExpertPanel } from './ExpertPanel';

/** The list's pane: the list, and Expert Information beside it when docked there. */
export function ListDock({ children }: { children: ReactNode }) {
  const side = useStats((s) => s.expertDock === 'side' && s.expertDocked);
  if (!side) return <>{children}</>;
  return <Split id="seqscope-list-expert" orientation="horizontal" firstSize={62} first={children} second={<ExpertPanel place="side" />} />;
}

/** The lower pane: the details (and bytes), with a tab bar to Expert Information when docked there. */
export function LowerDock({ children }: { children: ReactNode }) {
  const docked = useStats((s) => s.expertDock === 'lower' && s.expertDocked);
  const tab = useStats((s) => s.lowerTab);
  if (!docked) return <>{children}</>;
  const set = (t: 'details' | 'expert') => () => useStats.getState().setLowerTab(t);
  return (
    <div className="lower-dock" data-testid="lower-dock">
      <div className="lower-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'details'} data-testid="lower-tab-details" onClick={set('details')}>
          Packet details
        </button>
        <button type="button" role="tab" aria-selected={tab === 'expert'} data-testid="lower-tab-expert" onClick={set('expert')}>
          Expert Information
        </button>
      </div>
      <div className="lower-body">{tab === 'expert' ? <ExpertPanel place="lower" /> : children}</div>
    </div>
  );
}
