/** A synthetic EVTX file covering the value types and Binary XML structures, with the JSON evtx_dump writes for it. */
import {
  binXmlSub,
  cdata,
  charRef,
  el,
  entityRef,
  evtxFile,
  FILETIME_EPOCH,
  sub,
  template,
  text,
  type Sub,
  type SubAt,
  type Xml,
} from './builder.js';

const le = (size: number, write: (b: Buffer) => void): Uint8Array => {
  const b = Buffer.alloc(size);
  write(b);
  return b;
};
const v = (type: number, bytes: Uint8Array): Sub => ({ type, bytes });
const str = (s: string): Sub => v(0x01, Buffer.from(s, 'utf16le'));
const NULL: Sub = v(0x00, new Uint8Array(0));
const guid = (d1: number, d2: number, d3: number, rest: number[]): Uint8Array =>
  le(16, (b) => {
    b.writeUInt32LE(d1, 0);
    b.writeUInt16LE(d2, 4);
    b.writeUInt16LE(d3, 6);
    Buffer.from(rest).copy(b, 8);
  });
const sid = (authority: number, subs: number[]): Uint8Array =>
  le(8 + subs.length * 4, (b) => {
    b[0] = 1;
    b[1] = subs.length;
    b.writeUIntBE(authority, 2, 6);
    subs.forEach((s, i) => b.writeUInt32LE(s, 8 + i * 4));
  });

/** 2019-05-11T17:58:23.418784Z plus 7 ticks (700 ns, below the microseconds written). */
const TIME = FILETIME_EPOCH + BigInt(Date.UTC(2019, 4, 11, 17, 58, 23, 418)) * 10_000n + 7840n + 7n;

/** Typed `<Data Name=…>` values: name, type, bytes, and the JSON value evtx_dump writes. */
const TYPED: [string, Sub, unknown][] = [
  [
    'Int8',
    v(
      0x03,
      le(1, (b) => b.writeInt8(-5)),
    ),
    -5,
  ],
  [
    'UInt8',
    v(
      0x04,
      le(1, (b) => b.writeUInt8(200)),
    ),
    200,
  ],
  [
    'Int16',
    v(
      0x05,
      le(2, (b) => b.writeInt16LE(-300)),
    ),
    -300,
  ],
  [
    'UInt16',
    v(
      0x06,
      le(2, (b) => b.writeUInt16LE(60000)),
    ),
    60000,
  ],
  [
    'Int32',
    v(
      0x07,
      le(4, (b) => b.writeInt32LE(-70000)),
    ),
    -70000,
  ],
  [
    'UInt32',
    v(
      0x08,
      le(4, (b) => b.writeUInt32LE(4000000000)),
    ),
    4000000000,
  ],
  [
    'Int64',
    v(
      0x09,
      le(8, (b) => b.writeBigInt64LE(-5000000000000n)),
    ),
    -5000000000000,
  ],
  [
    'UInt64',
    v(
      0x0a,
      le(8, (b) => b.writeBigUInt64LE(1n << 40n)),
    ),
    1099511627776,
  ],
  [
    'Real32',
    v(
      0x0b,
      le(4, (b) => b.writeFloatLE(0.1)),
    ),
    0.1,
  ],
  [
    'Real64',
    v(
      0x0c,
      le(8, (b) => b.writeDoubleLE(2.5)),
    ),
    2.5,
  ],
  [
    'Bool',
    v(
      0x0d,
      le(4, (b) => b.writeInt32LE(1)),
    ),
    true,
  ],
  ['Binary', v(0x0e, Uint8Array.from([0x0a, 0xff])), '0AFF'],
  ['Guid', v(0x0f, guid(0xdeadbeef, 0x1, 0xabcd, [1, 2, 3, 4, 5, 6, 7, 8])), 'DEADBEEF-0001-ABCD-0102-030405060708'],
  [
    'SizeT',
    v(
      0x10,
      le(8, (b) => b.writeBigUInt64LE(0x1234n)),
    ),
    '0x1234',
  ],
  [
    'SysTime',
    v(
      0x12,
      le(16, (b) => [2024, 2, 4, 29, 13, 14, 15, 678].forEach((x, i) => b.writeUInt16LE(x, i * 2))),
    ),
    '2024-02-29T13:14:15.678000Z',
  ],
  ['Sid', v(0x13, sid(5, [18])), 'S-1-5-18'],
  [
    'HexInt32',
    v(
      0x14,
      le(4, (b) => b.writeUInt32LE(0xdead)),
    ),
    '0xdead',
  ],
  ['Ansi', v(0x02, Buffer.from('abc\x80\0', 'latin1')), 'abc€'],
  ['StringArray', v(0x81, Buffer.from('a\0b\0', 'utf16le')), ['a', 'b']],
  [
    'UInt16Array',
    v(
      0x86,
      le(4, (b) => (b.writeUInt16LE(1, 0), b.writeUInt16LE(2, 2))),
    ),
    [1, 2],
  ],
  [
    'HexInt64Array',
    v(
      0x95,
      le(16, (b) => (b.writeBigUInt64LE(1n, 0), b.writeBigUInt64LE(255n, 8))),
    ),
    ['0x1', '0xff'],
  ],
];

const XMLNS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const N = TYPED.length;
/** Substitution indexes after the typed ones. */
const [UNNAMED1, UNNAMED2, GONE, USERDATA] = [8 + N, 9 + N, 10 + N, 11 + N];

const EVENT: Xml = el(
  'Event',
  [['xmlns', text(XMLNS)]],
  [
    el(
      'System',
      [],
      [
        el(
          'Provider',
          [
            ['Name', sub(0, 0x01)],
            ['Guid', sub(1, 0x0f)],
          ],
          null,
        ),
        el('EventID', [['Qualifiers', sub(2, 0x06, true)]], [sub(3, 0x06)]),
        el('TimeCreated', [['SystemTime', sub(4, 0x11)]], null),
        el('Correlation', [['ActivityID', sub(5, 0x0f, true)]], null),
        el('Keywords', [], [sub(6, 0x15)]),
        el('Security', [['UserID', sub(7, 0x13, true)]], null),
      ],
    ),
    el(
      'EventData',
      [],
      [
        ...TYPED.map(([name, value], i) => el('Data', [['Name', text(name)]], [sub(8 + i, value.type)])),
        el('Data', [], [sub(UNNAMED1, 0x01)]),
        el('Data', [], [sub(UNNAMED2, 0x01)]),
        el('Data', [['Name', text('Dup')]], [text('first')]),
        el('Data', [['Name', text('Dup')]], [text('second')]),
        el('Data', [['Name', text('Mixed')]], [text('a'), entityRef('amp'), charRef(0x42), cdata('c')]),
        el('Data', [['Name', text('Empty')]], null),
        el('Data', [['Name', text('Gone')]], [sub(GONE, 0x01, true)]),
        el('Data', [['Name', text('Left')]], [sub(99, 0x00, true)]),
        // Names from the file are ordinary fields, whatever they are.
        el('Data', [['Name', text('__proto__')]], [text('p')]),
        el('Data', [['Name', text('constructor')]], [text('c')]),
      ],
    ),
    el('UserData', [], [sub(USERDATA, 0x21)]),
  ],
);

function values(eventId: number): SubAt[] {
  return [
    str('Microsoft-Windows-Test  '),
    v(0x0f, guid(0x5770385f, 0xc22a, 0x43e0, [0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9])),
    NULL,
    v(
      0x06,
      le(2, (b) => b.writeUInt16LE(eventId)),
    ),
    v(
      0x11,
      le(8, (b) => b.writeBigUInt64LE(TIME)),
    ),
    NULL,
    v(
      0x15,
      le(8, (b) => b.writeBigUInt64LE(0x8000000000000000n)),
    ),
    v(0x13, sid(5, [21, 1, 2, 3, 500])),
    ...TYPED.map(([, value]) => value),
    str('u1'),
    str('u2'),
    NULL,
    // Nested Binary XML: elements without the dependency identifier, a name seen before.
    binXmlSub(el('Inner', [['Name', text('x')]], [text('nested')])),
  ];
}

function expected(eventId: number): unknown {
  return {
    Event: {
      '#attributes': { xmlns: XMLNS },
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Test', Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9' } },
        EventID: eventId,
        TimeCreated: { '#attributes': { SystemTime: '2019-05-11T17:58:23.418784Z' } },
        Correlation: null,
        Keywords: '0x8000000000000000',
        Security: { '#attributes': { UserID: 'S-1-5-21-1-2-3-500' } },
      },
      EventData: {
        ...Object.fromEntries(TYPED.map(([name, , json]) => [name, json])),
        Data: { '#text': ['u1', 'u2'] },
        Dup: 'second',
        Dup_1: 'first',
        Mixed: 'a&Bc',
        Empty: null,
        Gone: null,
        Left: null,
        ['__proto__']: 'p',
        constructor: 'c',
      },
      UserData: { Inner: { '#attributes': { Name: 'x' }, '#text': 'nested' } },
    },
  };
}

/** A record written without a template: elements straight in the record, typed inline values. */
const PLAIN: Xml = el(
  'Event',
  [],
  [el('System', [], [el('EventID', [], [text('7')]), el('Channel', [], [text('Plain')])])],
);

/**
 * Four records in two chunks: the template inline in the first record of each chunk and
 * referred back to in the second; one record without a template.
 */
export function syntheticEvtx(): { bytes: Buffer; events: unknown[] } {
  const bytes = evtxFile(
    [
      () => template('event', EVENT, values(4688)),
      () => template('event', EVENT, values(1)),
      () => PLAIN,
      () => template('event', EVENT, values(2)),
    ],
    2,
  );
  return {
    bytes,
    events: [expected(4688), expected(1), { Event: { System: { EventID: '7', Channel: 'Plain' } } }, expected(2)],
  };
}
