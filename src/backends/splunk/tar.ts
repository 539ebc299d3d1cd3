/**
 * A minimal writer of gzip-compressed POSIX ustar archives (POSIX.1-1988 "ustar" header, as
 * GNU tar and Splunk's app installer read it): regular files and directories, fixed owner and
 * mode, a fixed modification time so that the same input gives the same bytes. Written here
 * rather than taken from npm because Sigil only writes a handful of small text files and needs
 * no reading, links or long names: a dependency for that would be larger than this module.
 */
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  /** Path inside the archive, `/`-separated; a directory ends with `/`. */
  path: string;
  /** File content (absent for a directory). */
  data?: string;
}

const BLOCK = 512;

/** An octal number field: `width - 1` digits and a NUL. */
function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(path: string, size: number, directory: boolean, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    // ustar splits a long path at a `/` into a prefix (155 bytes) and a name (100 bytes).
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155)
      throw new Error(`tar: path too long: ${path}`);
  }
  h.write(name, 0, 100, 'utf8');
  h.write(octal(directory ? 0o755 : 0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum placeholder: eight spaces while summing
  h.write(directory ? '5' : '0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

/** The entries as a .tar.gz archive. */
export function tarGz(entries: readonly TarEntry[], mtime = 0): Uint8Array {
  const chunks: Buffer[] = [];
  for (const e of entries) {
    const directory = e.path.endsWith('/');
    const data = directory ? Buffer.alloc(0) : Buffer.from(e.data ?? '', 'utf8');
    chunks.push(header(e.path, data.length, directory, mtime));
    if (data.length) {
      chunks.push(data);
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad) chunks.push(Buffer.alloc(pad, 0));
    }
  }
  // Two zero blocks end the archive.
  chunks.push(Buffer.alloc(BLOCK * 2, 0));
  return new Uint8Array(gzipSync(Buffer.concat(chunks), { level: 9 }));
}
