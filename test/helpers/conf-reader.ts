/**
 * A reader for Splunk .conf files, as Splunk's configuration system reads them (Admin Manual,
 * "About configuration files" and "Configuration file structure"): `[stanza]` headers,
 * `key = value` settings, `#` comment lines, and a backslash at the very end of a line continuing
 * the value on the next line (the line break is kept in the value). Deliberately strict: a line
 * that is none of these is returned as an error, so a test sees anything an artifact smuggles in.
 */
interface ConfStanza {
  name: string;
  settings: Map<string, string>;
  /** Comment lines just before the stanza header, without `#`. */
  comments: string[];
}

export interface ConfFile {
  stanzas: ConfStanza[];
  /** Lines that are not a header, a setting, a comment or blank. */
  errors: string[];
}

export function readConf(text: string): ConfFile {
  const lines = text.split('\n');
  const stanzas: ConfStanza[] = [];
  const errors: string[] = [];
  let current: ConfStanza | undefined;
  let pendingComments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (/^\s*#/.test(line)) {
      // A comment ending in a backslash continues too (Splunk joins before it looks at the line).
      let comment = line.replace(/^\s*#\s?/, '');
      while (comment.endsWith('\\') && i + 1 < lines.length) comment = comment.slice(0, -1) + '\n' + lines[++i]!;
      pendingComments.push(comment);
      continue;
    }
    if (/^\s*$/.test(line)) continue;
    const header = /^\s*\[(.*)\]\s*$/.exec(line);
    if (header) {
      current = { name: header[1]!, settings: new Map(), comments: pendingComments };
      pendingComments = [];
      stanzas.push(current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || !current) {
      errors.push(line);
      continue;
    }
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).replace(/^\s+/, '');
    while (value.endsWith('\\') && i + 1 < lines.length) {
      line = lines[++i]!;
      value = value.slice(0, -1) + '\n' + line;
    }
    if (current.settings.has(key)) errors.push(`duplicate setting ${key}`);
    current.settings.set(key, value.replace(/\s+$/, ''));
  }
  return { stanzas, errors };
}
