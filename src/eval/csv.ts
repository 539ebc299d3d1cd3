/**
 * CSV as RFC 4180 writes it (the export format of Defender XDR advanced hunting and Log
 * Analytics): records end at CRLF or LF, fields are separated by commas, a field in double quotes
 * may hold commas, quotes (doubled) and line breaks. Streaming and bounded: text is pushed in
 * chunks of any size, a record is kept only up to `maxRecordChars` (a longer one is reported
 * and skipped, its text not kept). Pure: the CLI reads the bytes.
 */

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

export interface CsvError {
  error: string;
  line: number;
  column: number;
}

type State = 'start' | 'unquoted' | 'quoted' | 'afterQuote' | 'skip';

const MAX_CSV_RECORD_CHARS = 16 * 1024 * 1024;

export class CsvParser {
  private state: State = 'start';
  private fields: string[] = [];
  private field = '';
  private size = 0;
  private line = 1;
  private column = 1;
  private recordLine = 1;
  /** Where the open quote of the current field is (an unterminated quote is reported there). */
  private quoteAt = { line: 1, column: 1 };
  /** A CR seen last (outside quotes): the LF that may follow belongs to the same line end. */
  private pendingCr = false;
  /** The current record holds anything (a blank line is no record). */
  private started = false;
  /** The current record went over the bound: it is read to its end and reported, not kept. */
  private overflow = false;

  constructor(private readonly maxRecordChars = MAX_CSV_RECORD_CHARS) {}

  /** Feeds text; returns the records (and errors) completed by it, in order. */
  push(text: string): (CsvRecord | CsvError)[] {
    const out: (CsvRecord | CsvError)[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      // CRLF is one line end: the LF after a CR neither counts a line nor starts a record.
      const crlf = this.pendingCr && c === '\n';
      this.pendingCr = c === '\r';
      this.step(c, out);
      if (crlf) continue;
      if (c === '\n' || c === '\r') {
        this.line++;
        this.column = 1;
      } else this.column++;
    }
    return out;
  }

  /** The end of the input: the last record (without a line end) or an unterminated quote. */
  end(): (CsvRecord | CsvError)[] {
    const out: (CsvRecord | CsvError)[] = [];
    if (this.state === 'quoted') {
      out.push({ error: 'a quoted field is not closed before the end of the file', ...this.quoteAt });
      this.reset();
    } else if (this.state === 'skip') this.reset();
    else if (this.started) this.finishRecord(out);
    return out;
  }

  private reset(): void {
    this.state = 'start';
    this.fields = [];
    this.field = '';
    this.size = 0;
    this.started = false;
    this.overflow = false;
  }

  private finishRecord(out: (CsvRecord | CsvError)[]): void {
    if (this.overflow)
      out.push({
        error: `the record is longer than ${this.maxRecordChars} characters; it is skipped`,
        line: this.recordLine,
        column: 1,
      });
    else {
      this.fields.push(this.field);
      out.push({ fields: this.fields, line: this.recordLine });
    }
    this.reset();
  }

  private fail(out: (CsvRecord | CsvError)[], error: string): void {
    out.push({ error, line: this.line, column: this.column });
    this.state = 'skip';
    this.fields = [];
    this.field = '';
  }

  private add(c: string): void {
    if (this.overflow) return;
    if (++this.size > this.maxRecordChars) {
      // Still parsed to its end (quotes decide where that is), but its text is no longer kept.
      this.overflow = true;
      this.fields = [];
      this.field = '';
      return;
    }
    this.field += c;
  }

  private step(c: string, out: (CsvRecord | CsvError)[]): void {
    const eol = c === '\n' || c === '\r';
    switch (this.state) {
      case 'skip':
        // After an error: the rest of the physical line is dropped.
        if (eol) this.reset();
        return;
      case 'quoted':
        if (c === '"') this.state = 'afterQuote';
        else this.add(c);
        return;
      case 'afterQuote':
        if (c === '"') {
          this.add('"');
          this.state = 'quoted';
        } else if (c === ',') {
          this.fields.push(this.field);
          this.field = '';
          this.state = 'start';
        } else if (eol) this.finishRecord(out);
        else this.fail(out, `'${c}' after a closing quote (a quote inside a quoted field is written "")`);
        return;
      case 'start':
      case 'unquoted':
        if (!this.started) {
          if (eol) return; // a blank line
          this.started = true;
          this.recordLine = this.line;
        }
        if (c === '"') {
          if (this.state === 'start') {
            this.state = 'quoted';
            this.quoteAt = { line: this.line, column: this.column };
          } else this.fail(out, 'a quote inside an unquoted field (quote the whole field and double the quote)');
        } else if (c === ',') {
          this.fields.push(this.field);
          this.field = '';
          this.state = 'start';
        } else if (eol) this.finishRecord(out);
        else {
          this.state = 'unquoted';
          this.add(c);
        }
    }
  }
}

export const isCsvError = (r: CsvRecord | CsvError): r is CsvError => 'error' in r;
