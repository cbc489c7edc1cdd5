/** The header of a column added with "Apply as column": the field's name and a remove button. */
import { useListView } from '../../state/list-view';

export function FieldColumnHeader({ field }: { field: string }) {
  return (
    <span className="field-col-header" title={`Column added from the detail tree: ${field}`}>
      {field}
      <button
        type="button"
        className="field-col-remove"
        data-testid="remove-column"
        aria-label={`Remove column ${field}`}
        title="Remove this column"
        onClick={(e) => {
          e.stopPropagation();
          useListView.getState().removeColumn(field);
        }}
      >
        ×
      </button>
    </span>
  );
}
