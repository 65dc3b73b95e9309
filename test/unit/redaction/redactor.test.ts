import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyKey, redact, Redactor } from '../../../main/redaction/index.js';

const ctx = { homeDir: '/home/alice', userName: 'alice', hostName: 'alices-laptop' };
const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PRIVATE_KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const ADDRESS = '0x52908400098527886E0F7030069857D2E4169EE7';

describe('redaction by shape', () => {
  const r = () => new Redactor(ctx);

  it('replaces a 12-word mnemonic, also capitalised, comma-separated or inside a sentence', () => {
    expect(r().string(MNEMONIC)).toBe('[redacted:mnemonic]');
    expect(r().string(`my words: ${MNEMONIC.replace(/^l/, 'L').replace(/ /g, ', ')} (backup)`)).toBe('my words: [redacted:mnemonic] (backup)');
    // A partial mnemonic (8 words) is still a leak.
    expect(r().string('abandon ability able about above absent absorb abstract')).toBe('[redacted:mnemonic]');
  });

  it('replaces a Chinese mnemonic (space-separated single characters)', () => {
    expect(r().string('的 一 是 在 不 了 有 和 人 这 中 大')).toBe('[redacted:mnemonic]');
  });

  it('keeps ordinary sentences that happen to use wordlist words', () => {
    const s = 'Permission denied opening the adapter; install the udev rule and try again with a new cable';
    expect(r().string(s)).toBe(s);
  });

  it('replaces 64-hex keys with or without 0x, and longer hex runs (signatures, Smarty keys of 32 hex)', () => {
    expect(r().string(`key ${PRIVATE_KEY} end`)).toBe('key [redacted:hex-secret] end');
    expect(r().string(PRIVATE_KEY.slice(2))).toBe('[redacted:hex-secret]');
    expect(r().string('smarty AAAABBBBCCCCDDDDEEEEFFFF00001111')).toBe('smarty [redacted:hex-secret]');
  });

  it('replaces EVM addresses in any case', () => {
    expect(r().string(`to ${ADDRESS}.`)).toBe('to [redacted:address].');
    expect(r().string(ADDRESS.toLowerCase())).toBe('[redacted:address]');
  });

  it('strips credentials and keys from RPC URLs but keeps the provider', () => {
    const out = r().string('rpc https://bob:s3cret@mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161?apikey=xyz#frag');
    expect(out).toBe('rpc https://mainnet.infura.io/v3/[redacted:token]?apikey=[redacted:secret]');
    expect(out).not.toContain('bob');
    expect(out).not.toContain('s3cret');
    expect(r().string('https://rpc.energyweb.org/')).toBe('https://rpc.energyweb.org/');
    expect(r().string('http://192.168.1.20:8545')).not.toContain('192.168');
    expect(r().string('http://127.0.0.1:8545/')).toBe('http://127.0.0.1:8545/');
  });

  it('replaces tokens: JWT, Bearer, key=value, extended keys, long mixed-case strings', () => {
    expect(r().string('Authorization: Bearer abcdef.ghijkl.mnopq')).toBe('Authorization: Bearer [redacted:token]');
    expect(r().string('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl')).toBe('[redacted:token]');
    expect(r().string('token=sk_live_abc123 password: hunter2')).toBe('token=[redacted:secret] password: [redacted:secret]');
    expect(r().string('xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi')).toBe('[redacted:secret]');
    expect(r().string('ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789')).toBe('[redacted:token]');
  });

  it('replaces user names in paths, the home folder, the user and host names', () => {
    expect(r().string('/home/alice/.config/Wattlet/history.sqlite')).toBe('~/.config/Wattlet/history.sqlite');
    expect(r().string('/home/carol/x and /Users/dave/y')).toBe('/home/<user>/x and /Users/<user>/y');
    expect(r().string('C:\\Users\\Erin\\AppData\\Roaming')).toBe('C:\\Users\\<user>\\AppData\\Roaming');
    expect(r().string('logged in as alice on alices-laptop')).toBe('logged in as <user> on <host>');
  });

  it('replaces IPs, MACs, e-mail and coordinates but not times, OBIS codes or VID:PID', () => {
    expect(r().string('from 10.0.0.7 and fe80::1ff:fe23:4567:890a')).toBe('from [redacted:ip] and [redacted:ip]');
    expect(r().string('mac 00:1a:2b:3c:4d:5e')).toBe('mac [redacted:mac]');
    expect(r().string('write to alice.smith@example.nl')).toBe('write to [redacted:email]');
    expect(r().string('at 52.37021, 4.89517')).toBe('at [redacted:geo]');
    const keep = 'at 15:20:13 obis 1-0:1.8.0.255 adapter 0403:6001 speed 115200 8N1 version 0.1.0 v8 11.3.244.8-node.38';
    expect(r().string(keep)).toBe(keep);
  });
});

describe('redaction by key', () => {
  it('classifies field names', () => {
    expect(classifyKey('privateKey')).toBe('secret');
    expect(classifyKey('wallet_mnemonic')).toBe('secret');
    expect(classifyKey('apiToken')).toBe('secret');
    expect(classifyKey('label')).toBe('label');
    expect(classifyKey('accountLabel')).toBe('label');
    expect(classifyKey('latitude')).toBe('location');
    expect(classifyKey('serialNumber')).toBe('identifier');
    expect(classifyKey('meterId')).toBe('identifier');
    expect(classifyKey('address')).toBe('address');
    expect(classifyKey('vidPid')).toBe(null);
    expect(classifyKey('framesOk')).toBe(null);
  });

  it('replaces secret fields whatever they hold, labels, locations and street addresses', () => {
    const { value } = redact(
      {
        privateKey: 'short',
        keystore: { crypto: { ciphertext: 'abc' } },
        accounts: [{ label: 'Grandma', address: ADDRESS }],
        home: { latitude: 52.37, longitude: 4.89 },
        address: 'Hoofdstraat 1, Utrecht',
        name: 'Wattlet',
        host: 'electron',
      },
      ctx,
    );
    expect(value).toEqual({
      privateKey: '[redacted:secret]',
      keystore: '[redacted:secret]',
      accounts: [{ label: '[redacted:label]', address: '[redacted:address]' }],
      home: '[redacted:location]',
      address: '[redacted:location]',
      name: 'Wattlet',
      host: 'electron',
    });
  });

  it('hashes identifiers consistently wherever they recur, and not across bundles', () => {
    const input = { usb: [{ serialNumber: 'A50285BI', id: '0403:6001:A50285BI' }], errors: ['open 0403:6001:A50285BI failed'] };
    const a = redact(input, ctx).value as { usb: Array<{ serialNumber: string; id: string }>; errors: string[] };
    const hash = a.usb[0]!.serialNumber;
    expect(hash).toMatch(/^id#[0-9a-f]{10}$/);
    expect(a.usb[0]!.id).toBe(`0403:6001:${hash}`);
    expect(a.errors[0]).toBe(`open 0403:6001:${hash} failed`);
    const b = redact(input, ctx).value as typeof a;
    expect(b.usb[0]!.serialNumber).not.toBe(hash);
  });

  it('treats the hex-of-ASCII form of a meter id as the same identifier (DSMR 96.1.1)', () => {
    const r = new Redactor({ identifiers: ['K8EG004046395507'] });
    const hex = '4B384547303034303436333935353037';
    expect(r.string(`0-0:96.1.1(${hex})`)).toBe(`0-0:96.1.1(${r.hashOf('K8EG004046395507')})`);
  });
});

describe('frame bytes', () => {
  const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const text = (b: Uint8Array) => String.fromCharCode(...b);

  it('masks DSMR equipment ids and text messages, and keeps the frame length', () => {
    const frame = ascii('/ISk5\\2MT382-1000\r\n0-0:96.1.1(4B384547303034303436333935353037)\r\n0-1:96.1.0(3232323241424344313233343536373839)\r\n0-0:96.13.0(Call 555-1234)\r\n1-0:1.8.1(000004.426*kWh)\r\n!6EEE\r\n');
    const out = new Redactor().bytes(frame, 'dsmr');
    expect(out.length).toBe(frame.length);
    const t = text(out);
    expect(t).toContain('0-0:96.1.1(********************************)');
    expect(t).not.toContain('4B3845');
    expect(t).not.toContain('3232323241');
    expect(t).not.toContain('555-1234');
    expect(t).toContain('1-0:1.8.1(000004.426*kWh)');
  });

  it('masks IEC 62056-21 serial numbers', () => {
    const out = text(new Redactor().bytes(ascii('\x02C.1.0(12345678)\r\n0.0.0(87654321)\r\n1.8.0(0001234.5*kWh)\r\n!\r\n\x03'), 'iec62056-21'));
    expect(out).not.toContain('12345678');
    expect(out).not.toContain('87654321');
    expect(out).toContain('1.8.0(0001234.5*kWh)');
  });

  it('masks the DL/T 645 address (meter number in reversed BCD) but not the broadcast address', () => {
    const frame = Uint8Array.from([0xfe, 0xfe, 0x68, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x68, 0x91, 0x00, 0x00, 0x16]);
    const out = new Redactor().bytes(frame, 'dlt645');
    expect([...out.subarray(3, 9)]).toEqual([0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a]);
    const bc = Uint8Array.from([0x68, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0x68, 0x13, 0x00, 0x16]);
    expect([...new Redactor().bytes(bc, 'dlt645')]).toEqual([...bc]);
  });

  it('masks known identifiers in any encoding: ASCII, raw hex bytes, BCD reversed', () => {
    const r = new Redactor({ identifiers: ['0a01454d480000b8ef12', '000012345678'] });
    const sml = Uint8Array.from([0x77, 0x0b, 0x0a, 0x01, 0x45, 0x4d, 0x48, 0x00, 0x00, 0xb8, 0xef, 0x12, 0x01]);
    const out = r.bytes(sml, 'sml');
    expect([...out.subarray(2, 12)].every((b) => b === 0x2a)).toBe(true);
    const bcd = Uint8Array.from([0x00, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x01]);
    expect([...r.bytes(bcd, 'modbus').subarray(1, 7)].every((b) => b === 0x2a)).toBe(true);
  });
});

describe('property: a planted secret never survives, whatever surrounds it', () => {
  const secrets = [MNEMONIC, PRIVATE_KEY, PRIVATE_KEY.slice(2), ADDRESS, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'https://bob:s3cretpw@rpc.example.org/'];
  it('in free text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom(...secrets), fc.string({ maxLength: 40 }), (before, secret, after) => {
        const out = new Redactor(ctx).string(`${before} ${secret} ${after}`);
        const core = secret.startsWith('https') ? 's3cretpw' : secret;
        expect(out).not.toContain(core);
      }),
      { numRuns: 300 },
    );
  });

  it('in random JSON under random keys', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), fc.constantFrom(...secrets), fc.string({ minLength: 1, maxLength: 8 }), (obj, secret, key) => {
        const planted = { ...obj, [key]: [{ note: secret }] };
        const out = JSON.stringify(redact(planted, ctx).value);
        const core = secret.startsWith('https') ? 's3cretpw' : secret;
        expect(out).not.toContain(core);
      }),
      { numRuns: 200 },
    );
  });
});

describe('redaction keeps the bundle readable', () => {
  it('a trivial adapter serial (CP2102 "0001") is dropped in its field but not hunted everywhere', () => {
    const { value } = redact({ usb: [{ serialNumber: '0001' }], frame: '1-0:1.8.1(000123.0001*kWh)' }, ctx);
    expect(value).toEqual({ usb: [{ serialNumber: '[redacted:identifier]' }], frame: '1-0:1.8.1(000123.0001*kWh)' });
  });

  it('a label is replaced as a whole word with its own case, not inside paths or other words', () => {
    const { value } = redact({ accounts: [{ label: 'Home' }], log: 'opened /home/x for Home; Homestead ok' }, ctx);
    expect(value).toEqual({ accounts: [{ label: '[redacted:label]' }], log: 'opened /home/<user> for [redacted:label]; Homestead ok' });
  });
});
