// Turns a failed seed load into an error a user can act on: the CSV file and line, and what is
// wrong there. DuckDB names the line for a value that does not convert; a row with the wrong
// number of values can make its sniffer give up or misread the file, so rows are counted here first.
import { readFileSync } from 'node:fs';
import { SourceError } from './sourceLine';
import { messageOf } from '../core/text';

export function seedError(e: unknown, file: string): SourceError {
  const message = messageOf(e);
  const csvLine = /CSV Error on Line: (\d+)/.exec(message);
  if (csvLine) {
    const line = Number(csvLine[1]);
    const what = /Error when converting column "([^"]*)"\. (.*)/.exec(message);
    const original = /Original Line: (.*)/.exec(message)?.[1];
    const reason = what ? `${what[2]!.trim()} (column "${what[1]}")` : message.split('\n')[0]!;
    return new SourceError(`${file} line ${line}: ${reason}${original ? ` in the row: ${original}` : ''}`, line);
  }
  return new SourceError(`${file}: ${message.split('\n')[0]}`, undefined);
}

/** The first row (1-based file line) whose number of values differs from the header's. */
export function raggedRow(path: string, delimiter: string): { line: number; expected: number; found: number } | undefined {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return undefined; }
  const rows = splitRows(text, delimiter);
  const expected = rows[0]?.fields;
  if (expected === undefined) return undefined;
  const bad = rows.find((r) => r.fields !== expected && !(r.fields === 1 && r.blank));
  return bad ? { line: bad.line, expected, found: bad.fields } : undefined;
}

/** Counts the fields of each record, honouring double quotes (which may hold delimiters and newlines). */
function splitRows(text: string, delimiter: string): { line: number; fields: number; blank: boolean }[] {
  const rows: { line: number; fields: number; blank: boolean }[] = [];
  let line = 1, start = 1, fields = 1, quoted = false, blank = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') { quoted = !quoted; blank = false; continue; }
    if (c === '\n') {
      line++;
      if (quoted) continue;
      rows.push({ line: start, fields, blank });
      start = line; fields = 1; blank = true;
      continue;
    }
    if (!quoted && text.startsWith(delimiter, i)) { fields++; blank = false; i += delimiter.length - 1; continue; }
    if (c !== '\r') blank = false;
  }
  if (!blank || fields > 1) rows.push({ line: start, fields, blank });
  return rows;
}
