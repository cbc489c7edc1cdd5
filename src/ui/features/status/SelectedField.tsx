/** The status bar's note on the detail tree's selected item: its description and filter name, as Wireshark shows them. */
import { useEffect, useState } from 'react';
import { engine } from '../../engine-client';
import { useViewer } from '../../state/viewer';

export function SelectedField() {
  const f = useViewer((s) => s.selectedField);
  const [descs, setDescs] = useState<Map<string, string> | undefined>(undefined);
  useEffect(() => {
    if (!f?.field || descs) return;
    void engine()
      .fields()
      .then((list) => setDescs(new Map(list.map((x) => [x.name, x.desc]))), () => undefined);
  }, [f, descs]);
  if (!f?.field) return null;
  const desc = descs?.get(f.field);
  return (
    <span data-testid="status-field" data-field={f.field} title={f.label}>
      {desc ? `${desc} (${f.field})` : f.field}
    </span>
  );
}
