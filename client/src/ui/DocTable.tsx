/**
 * A list of documents: a table on wide screens, stacked cards on narrow ones (CSS).
 * Every row has `data-testid="row-<id>"` and, when allowed, an Edit button.
 */
import type { ReactNode } from 'react';
import { RejectedBadge } from './RejectedBadge.js';

export interface Column<T> {
  header: string;
  cell: (doc: T) => ReactNode;
}

export interface Row<T> {
  id: string;
  data: T;
  label: string;
  canEdit: boolean;
}

interface Props<T> {
  captionId: string;
  columns: readonly Column<T>[];
  rows: readonly Row<T>[];
  rejections: ReadonlyMap<string, string>;
  emptyText: string;
  onEdit: (id: string) => void;
}

export function DocTable<T>({ captionId, columns, rows, rejections, emptyText, onEdit }: Props<T>) {
  if (rows.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <table className="doc-table" aria-labelledby={captionId}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col">
              {c.header}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const rejection = rejections.get(row.id);
          return (
            <tr key={row.id} data-testid={`row-${row.id}`} className={rejection ? 'is-rejected' : undefined}>
              {columns.map((c, i) => (
                <td key={c.header} data-label={c.header}>
                  {c.cell(row.data)}
                  {i === 0 && rejection !== undefined && (
                    <>
                      {' '}
                      <RejectedBadge docId={row.id} message={rejection} />
                    </>
                  )}
                </td>
              ))}
              <td className="row-actions">
                {row.canEdit && (
                  <button type="button" onClick={() => onEdit(row.id)}>
                    Edit<span className="visually-hidden"> {row.label}</span>
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
