/**
 * Streamed exports as NDJSON or CSV: rows are read a page at a time (keyset, newest first) and
 * written as they come, so an export never holds a whole table in memory nor runs one long query.
 */
import { Readable } from 'node:stream';

export type ExportFormat = 'ndjson' | 'csv';

/** Rows of a keyset-paged reader, page by page, until a short page. */
export async function* pages<Row>(
  read: (before: Row | undefined, limit: number) => Promise<Row[]>,
  pageSize = 500,
): AsyncGenerator<Row> {
  let last: Row | undefined;
  for (;;) {
    const page = await read(last, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    last = page[page.length - 1];
  }
}

/**
 * A CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell a spreadsheet
 * would run as a formula (= + - @ at the start) gets a leading apostrophe (OWASP CSV injection).
 */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The response of an export: its body streams `records` in the format, with a download name. */
export function exportResponse(
  records: AsyncIterable<Record<string, unknown>>,
  format: ExportFormat,
  columns: string[],
  name: string,
) {
  async function* lines() {
    if (format === 'csv') yield `${columns.join(',')}\r\n`;
    for await (const record of records) {
      yield format === 'csv'
        ? `${columns.map((column) => cell(record[column])).join(',')}\r\n`
        : `${JSON.stringify(record)}\n`;
    }
  }
  return {
    status: 200,
    body: Readable.from(lines()),
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}.${format === 'csv' ? 'csv' : 'ndjson'}"`,
    },
  };
}
