// The one table markup of the app's lists: a header row, one row per item, and what to show
// instead when there are none. Not a client component, so pages and client components alike
// render it.
import type { ReactNode } from "react";

export type Column<T> = {
  header?: ReactNode;
  cell: (row: T) => ReactNode;
  /** Classes of the column's cells (the header's are headerClassName). */
  className?: string;
  headerClassName?: string;
  /** A test id per cell, for a cell the browser tests read. */
  cellTestId?: (row: T) => string;
  title?: (row: T) => string | undefined;
};

type Props<T> = {
  columns: Column<T>[];
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
  /** Shown instead of the table when there are no rows; without it the table stays, empty. */
  empty?: ReactNode;
  rowTestId?: (row: T) => string;
  /** Cells start at the top (rows whose cells hold several lines). */
  alignTop?: boolean;
  /** Smaller text, for a secondary table. */
  small?: boolean;
  /** A row after the items (a note that belongs to the table). */
  lastRow?: ReactNode;
  "data-testid"?: string;
};

export function DataTable<T>({ columns, rows, rowKey, empty, rowTestId, alignTop, small, lastRow, "data-testid": testId }: Props<T>) {
  if (empty !== undefined && !rows?.length) return <>{empty}</>;
  return (
    // On a narrow screen a wide table scrolls inside its own box, not the page.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard to scroll it
    <div className="max-w-full overflow-x-auto" tabIndex={0}>
      <table className={small ? "w-full text-left text-xs" : "w-full text-left text-sm"} data-testid={testId}>
        <thead className="text-slate-500">
          <tr>
            {columns.map((column, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; a column's place is its identity
              <th key={i} className={column.headerClassName}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows?.map((row) => (
            <tr key={rowKey(row)} className={alignTop ? "border-t border-slate-100 align-top" : "border-t border-slate-100"} data-testid={rowTestId?.(row)}>
              {columns.map((column, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; a column's place is its identity
                <td key={i} className={column.className} data-testid={column.cellTestId?.(row)} title={column.title?.(row)}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
          {lastRow}
        </tbody>
      </table>
    </div>
  );
}
