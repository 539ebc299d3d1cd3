/** CIDR parsing for the `cidr` modifier (IPv4 and IPv6), shared by the parser and the evaluator. */

interface ParsedCidr {
  version: 4 | 6;
  /** Canonical network text: dotted IPv4, or fully expanded lower-case IPv6. */
  network: string;
  prefix: number;
  /** The address bits as a bigint (host bits as written, not masked). */
  bits: bigint;
}

function parseIPv4(s: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const octet = m[i]!;
    if (octet.length > 1 && octet.startsWith('0')) return null;
    const n = Number(octet);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIPv6(s: string): bigint | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return null;
  let head: string[];
  let tail: string[];
  const dbl = s.indexOf('::');
  if (dbl !== -1) {
    if (s.indexOf('::', dbl + 1) !== -1) return null;
    head = s.slice(0, dbl) ? s.slice(0, dbl).split(':') : [];
    tail = s.slice(dbl + 2) ? s.slice(dbl + 2).split(':') : [];
  } else {
    head = s.split(':');
    tail = [];
  }
  const groups: number[] = [];
  const pushGroups = (list: string[], out: number[]): boolean => {
    for (let i = 0; i < list.length; i++) {
      const g = list[i]!;
      if (g.includes('.')) {
        if (i !== list.length - 1) return false;
        const v4 = parseIPv4(g);
        if (v4 === null) return false;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return false;
        out.push(parseInt(g, 16));
      }
    }
    return true;
  };
  const h: number[] = [];
  const t: number[] = [];
  if (!pushGroups(head, h) || !pushGroups(tail, t)) return null;
  if (dbl === -1 && h.length !== 8) return null;
  if (dbl !== -1 && h.length + t.length > 7) return null;
  groups.push(...h);
  if (dbl !== -1) for (let i = h.length + t.length; i < 8; i++) groups.push(0);
  groups.push(...t);
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

function formatIPv4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

function formatIPv6(v: bigint): string {
  const out: string[] = [];
  for (let i = 7; i >= 0; i--) out.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16).padStart(4, '0'));
  return out.join(':');
}

/** Parses `a.b.c.d/n` or `ipv6/n` (a bare address means a single host). Returns an error text on failure. */
export function parseCidr(text: string): ParsedCidr | string {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? null : text.slice(slash + 1);
  const isV6 = addr.includes(':');
  const bits = isV6 ? parseIPv6(addr) : parseIPv4(addr);
  if (bits === null) return `'${addr}' is not a valid IPv${isV6 ? 6 : 4} address`;
  const max = isV6 ? 128 : 32;
  let prefix = max;
  if (prefixText !== null) {
    if (!/^\d{1,3}$/.test(prefixText)) return `'/${prefixText}' is not a prefix length`;
    prefix = Number(prefixText);
    if (prefix > max) return `prefix /${prefix} is longer than ${max} bits`;
  }
  return { version: isV6 ? 6 : 4, network: isV6 ? formatIPv6(bits) : formatIPv4(bits), prefix, bits };
}

/** True when `ip` (text) lies in the network. */
export function cidrContains(c: ParsedCidr, ip: string): boolean {
  const v = c.version === 6 ? parseIPv6(ip.replace(/%.*$/, '')) : parseIPv4(ip);
  if (v === null) return false;
  const max = c.version === 6 ? 128n : 32n;
  const hostBits = max - BigInt(c.prefix);
  return v >> hostBits === c.bits >> hostBits;
}
