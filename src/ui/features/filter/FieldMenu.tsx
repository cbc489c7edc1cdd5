/**
 * The context menu of a detail-tree item that is a field: "Apply as Filter" and "Prepare as
 * Filter" with Wireshark's six combinations (Selected, Not Selected, …and / …or / …and not /
 * …or not Selected). Apply runs the new filter at once; Prepare puts it in the filter bar.
 * "Apply as Column" adds a packet-list column showing the field (ui/state/list-view.ts).
 */
import { useEffect, useState, type ReactNode } from 'react';
import * as CM from '@radix-ui/react-context-menu';
import type { DetailNode } from '../../../engine/model/types';
import { engine, type FieldInfo } from '../../engine-client';
import { useView } from '../../state/view';
import { useListView } from '../../state/list-view';
import { applyDraft } from './FilterBar';
import { combine, nodeExpression, PREPARE_LABELS, type PrepareKind } from './complete';

let types: Map<string, string> | undefined;
function useFieldTypes(): Map<string, string> | undefined {
  const [t, setT] = useState(types);
  useEffect(() => {
    if (types) return;
    void engine()
      .fields()
      .then((list: FieldInfo[]) => {
        types = new Map(list.map((f) => [f.name, f.type]));
        setT(types);
      }, () => undefined);
  }, []);
  return t;
}

function run(kind: PrepareKind, expr: string, apply: boolean): void {
  const st = useView.getState();
  const text = combine(kind, st.draft, expr);
  if (apply) void applyDraft(text);
  else {
    st.setDraft(text);
    const input = document.querySelector<HTMLInputElement>('[data-testid=filter-input]');
    input?.focus();
    // The bar re-checks the text on its next change; check the prepared text now.
    void engine()
      .checkFilter(text)
      .then((r) => useView.getState().setCheck(r.ok ? { state: 'valid', warnings: r.warnings } : { state: 'invalid', error: r.error }), () => undefined);
  }
}

export function FieldMenu({ node, children }: { node: DetailNode; children: ReactNode }) {
  const types = useFieldTypes();
  // Only fields the registry knows: a filter could not name the others.
  if (!node.field || !types?.has(node.field)) return <>{children}</>;
  const expr = nodeExpression(node, types.get(node.field));
  if (!expr) return <>{children}</>;
  const items = (apply: boolean) =>
    PREPARE_LABELS.map(([kind, label]) => (
      <CM.Item key={kind} className="cm-item" data-testid={`${apply ? 'apply' : 'prepare'}-${kind}`} onSelect={() => run(kind, expr, apply)}>
        {label}
      </CM.Item>
    ));
  return (
    <CM.Root>
      <CM.Trigger asChild>{children}</CM.Trigger>
      <CM.Portal>
        <CM.Content className="cm-content" data-testid="field-menu">
          <CM.Label className="cm-label">{expr}</CM.Label>
          <CM.Sub>
            <CM.SubTrigger className="cm-item" data-testid="apply-as-filter">
              Apply as Filter ▸
            </CM.SubTrigger>
            <CM.Portal>
              <CM.SubContent className="cm-content">{items(true)}</CM.SubContent>
            </CM.Portal>
          </CM.Sub>
          <CM.Sub>
            <CM.SubTrigger className="cm-item" data-testid="prepare-as-filter">
              Prepare as Filter ▸
            </CM.SubTrigger>
            <CM.Portal>
              <CM.SubContent className="cm-content">{items(false)}</CM.SubContent>
            </CM.Portal>
          </CM.Sub>
          <CM.Item className="cm-item" data-testid="apply-as-column" onSelect={() => useListView.getState().addColumn(node.field!)}>
            Apply as Column
          </CM.Item>
        </CM.Content>
      </CM.Portal>
    </CM.Root>
  );
}
