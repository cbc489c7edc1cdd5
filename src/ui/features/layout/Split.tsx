/**
 * Two panes with a draggable divider (react-resizable-panels: pointer and keyboard, Home/End and
 * arrows on the focused divider), the position remembered in localStorage under `id`.
 */
import type { ReactNode } from 'react';
import { Group, Panel, Separator, useDefaultLayout } from 'react-resizable-panels';

interface SplitProps {
  /** Storage key and test id of the group; the divider is `${id}-divider`. */
  id: string;
  /** vertical: first above second; horizontal: first left of second. */
  orientation: 'vertical' | 'horizontal';
  first: ReactNode;
  second: ReactNode;
  /** Default size of the first pane, in percent. */
  firstSize: number;
  /** Smallest size of each pane, in px. */
  minPx?: number;
  className?: string;
}

export function Split({ id, orientation, first, second, firstSize, minPx = 80, className }: SplitProps) {
  const { defaultLayout, onLayoutChanged } = useDefaultLayout({ id, storage: localStorage, onlySaveAfterUserInteractions: true });
  return (
    <Group id={id} orientation={orientation} className={`split ${className ?? ''}`} defaultLayout={defaultLayout} onLayoutChanged={onLayoutChanged}>
      <Panel id={`${id}-a`} defaultSize={`${firstSize}%`} minSize={minPx} className="split-pane">
        {first}
      </Panel>
      <Separator id={`${id}-divider`} className={`split-divider split-divider-${orientation}`} />
      <Panel id={`${id}-b`} defaultSize={`${100 - firstSize}%`} minSize={minPx} className="split-pane">
        {second}
      </Panel>
    </Group>
  );
}
