import { createHmac, randomBytes } from 'node:crypto';
import { wordlists } from 'ethers';

/**
 * The redaction pass of the support bundle. A bundle leaves the household (mailed to support,
 * pasted into a ticket), so it must hold no secret that moves money (keys, mnemonics, tokens,
 * RPC credentials) and nothing that locates or names the household (meter and adapter serial
 * numbers, addresses and account labels, user names in paths, IPs, coordinates).
 *
 * Three layers, because no single one is enough:
 * 1. by key: a field named like a secret, a label or a location is replaced whole, whatever it holds;
 * 2. by identity: serial numbers and meter ids found anywhere (fields, frames) are replaced by a
 *    keyed hash wherever they recur — also inside longer strings, hex dumps and BCD frames — so
 *    support can still tell "the same meter" apart from "another meter" within one bundle;
 * 3. by shape: strings are scanned for things that look like secrets or locations.
 *
 * Over-redaction is accepted; a leak is not.
 */

export type RedactionKind =
  | 'secret'
  | 'mnemonic'
  | 'hex-secret'
  | 'address'
  | 'token'
  | 'label'
  | 'identifier'
  | 'url-credentials'
  | 'user-path'
  | 'user-name'
  | 'host-name'
  | 'email'
  | 'ip'
  | 'mac'
  | 'geo'
  | 'location'
  | 'frame-bytes';

export interface RedactionContext {
  /** Known identifiers that locate the household (meter ids, adapter serial numbers). */
  readonly identifiers?: Iterable<string>;
  readonly homeDir?: string | null;
  readonly userName?: string | null;
  readonly hostName?: string | null;
  /** Key of the identifier hashes. Random per bundle by default: hashes cannot be linked across bundles. */
  readonly hashKey?: Uint8Array;
}

const normKey = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, '');

// Field names whose value is replaced whole, whatever its type (normalized: lowercase, no separators).
const SECRET_KEYS = [
  'privatekey', 'mnemonic', 'seed', 'seedphrase', 'secret', 'password', 'passphrase', 'passwd', 'pwd', 'token',
  'accesstoken', 'refreshtoken', 'authtoken', 'apikey', 'apisecret', 'authorization', 'auth', 'cookie', 'keystore',
  'key', 'smartykey', 'decryptionkey', 'encryptionkey', 'authkey', 'credential', 'credentials', 'xprv', 'extendedkey',
  'signature', 'sessiontoken', 'bearer', 'pin',
];
const SECRET_KEY_PARTS = ['privatekey', 'mnemonic', 'secret', 'password', 'passphrase', 'token', 'apikey', 'seedphrase', 'credential'];
const LABEL_KEYS = [
  'label', 'labels', 'accountlabel', 'nickname', 'alias', 'accountname', 'walletname', 'householdname', 'fullname',
  'username', 'user', 'owner', 'ownername', 'email', 'phone', 'customername', 'displayname',
];
const LOCATION_KEYS = [
  'latitude', 'longitude', 'lat', 'lon', 'lng', 'location', 'geo', 'geolocation', 'coordinates', 'city', 'street',
  'streetaddress', 'postcode', 'postalcode', 'zip', 'zipcode', 'country', 'region', 'timezone', 'tz', 'ip',
  'ipaddress', 'remoteaddress', 'hostname', 'mac', 'macaddress', 'homedir', 'home',
];
const ADDRESS_KEYS = ['address', 'addresses', 'account', 'accounts', 'from', 'to', 'seller', 'buyer', 'wallet', 'contractaddress'];
// Fields that carry an identifier of the household's equipment or contract: hashed, not dropped.
const IDENTIFIER_KEYS = [
  'meterid', 'serialnumber', 'serial', 'equipmentid', 'serverid', 'meteraddress', 'meternumber', 'deviceserial',
  'customerid', 'ean', 'eancode', 'connectionid', 'accountnumber', 'contractnumber', 'gasmeterid',
];

export type KeyClass = 'secret' | 'label' | 'location' | 'address' | 'identifier' | null;

export function classifyKey(key: string): KeyClass {
  const k = normKey(key);
  if (IDENTIFIER_KEYS.includes(k)) return 'identifier';
  if (SECRET_KEYS.includes(k) || SECRET_KEY_PARTS.some((p) => k.includes(p))) return 'secret';
  if (LABEL_KEYS.includes(k) || k.endsWith('label')) return 'label';
  if (LOCATION_KEYS.includes(k)) return 'location';
  if (ADDRESS_KEYS.includes(k)) return 'address';
  return null;
}

let bip39: Set<string> | null = null;
function bip39Words(): Set<string> {
  if (!bip39) {
    const list = wordlists['en']!;
    bip39 = new Set(Array.from({ length: 2048 }, (_, i) => list.getWord(i)));
  }
  return bip39;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function asciiHex(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).padStart(2, '0');
  return out;
}

function isPrintableAscii(s: string): boolean {
  return /^[\x20-\x7e]+$/.test(s);
}

/** "4530303034" → "E0004" when the hex is printable ASCII (DSMR writes equipment ids this way). */
function hexToAscii(hex: string): string | null {
  if (hex.length % 2 || !/^[0-9a-f]+$/i.test(hex)) return null;
  let out = '';
  for (let i = 0; i < hex.length; i += 2) out += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return isPrintableAscii(out) ? out : null;
}

const IPV4 = /(?<![\d.:\w-])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d.\w-])/g;
const IPV6_CANDIDATE = /(?<![\w:.#])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])/gi;
const MAC = /(?<![\w:-])[0-9a-f]{2}(?:([:-])[0-9a-f]{2})(?:\1[0-9a-f]{2}){4}(?![\w:-])/gi;
const GEO = /-?\d{1,2}\.\d{3,}\s*,\s*-?\d{1,3}\.\d{3,}/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi;
const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
const AUTH_HEADER = /\b(Bearer|Basic|Token)\s+[\w.~+/=-]{8,}/gi;
const KV_SECRET = /\b((?:api[_-]?key|access[_-]?token|auth[_-]?token|token|secret|password|passwd|pwd|passphrase|private[_-]?key|mnemonic|seed|key)\s*[=:]\s*)("?)[^\s"&,;]+/gi;
const XKEY = /\b[xyztuv](?:prv|pub)[1-9A-HJ-NP-Za-km-z]{50,}/g;
const HEX_RUN = /(?:0x)?[0-9a-fA-F]{32,}/g;
const TOKEN_LIKE = /(?<![\w+/=-])[A-Za-z0-9+/_=-]{32,}(?![\w+/=-])/g;
const WORD_RUN = /(?<![A-Za-z])[A-Za-z]+(?:[\s,]+[A-Za-z]+){7,}(?![A-Za-z])/g;
const CJK_RUN = /[\u4e00-\u9fff](?:\s+[\u4e00-\u9fff]){7,}/g;
const USER_PATHS = [/(\/home\/)([^/\s"'\\]+)/g, /(\/Users\/)([^/\s"'\\]+)/g, /([A-Za-z]:\\{1,2}Users\\{1,2})([^\\\s"']+)/gi];

// Shorter "serials" (a CP2102's default 0001) identify nobody, and replacing them everywhere
// would shred readings and timestamps.
const MIN_IDENTIFIER = 6;

/**
 * One redaction run: holds the identifiers seen so far and counts what it replaced by kind. Build
 * one per bundle, `collect` identifiers from everything first, then `value` the whole bundle.
 */
export class Redactor {
  readonly #hashKey: Uint8Array;
  readonly #identifiers = new Set<string>();
  readonly #home: string | null;
  readonly #user: string | null;
  readonly #host: string | null;
  readonly counts: Partial<Record<RedactionKind, number>> = {};
  #idPattern: RegExp | null = null;
  /** Values of secret, label and location fields, replaced wherever they recur in free text. */
  readonly #literals = new Map<string, RedactionKind>();
  #literalPattern: RegExp | null = null;

  constructor(ctx: RedactionContext = {}) {
    this.#hashKey = ctx.hashKey ?? randomBytes(32);
    this.#home = ctx.homeDir && ctx.homeDir.length > 1 ? ctx.homeDir.replace(/[\\/]+$/, '') : null;
    this.#user = ctx.userName && ctx.userName.length >= 3 ? ctx.userName : null;
    this.#host = ctx.hostName && ctx.hostName.length >= 3 ? ctx.hostName : null;
    for (const id of ctx.identifiers ?? []) this.addIdentifier(id);
  }

  /** A value that locates the household; every later occurrence, in any string or frame, is hashed. */
  addIdentifier(raw: string | number): void {
    const id = String(raw).trim();
    if (id.length < MIN_IDENTIFIER) return;
    const forms = [id];
    // DSMR states equipment ids as hex of ASCII; support may also see them decoded.
    const ascii = hexToAscii(id);
    if (ascii && ascii.length >= MIN_IDENTIFIER) forms.push(ascii);
    if (isPrintableAscii(id)) forms.push(asciiHex(id));
    for (const f of forms) {
      if (!this.#identifiers.has(f)) {
        this.#identifiers.add(f);
        this.#idPattern = null;
      }
    }
  }

  get identifiers(): readonly string[] {
    return [...this.#identifiers];
  }

  /**
   * Walk a JSON value and remember what its named fields hold (pass 1): identifiers to hash, and
   * secrets, labels and places to replace when they recur in messages ("unlock failed for Oma's roof").
   */
  collect(value: unknown): void {
    if (Array.isArray(value)) {
      for (const v of value) this.collect(v);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const cls = classifyKey(k);
        if (cls === 'identifier' && (typeof v === 'string' || typeof v === 'number')) this.addIdentifier(v);
        else if ((cls === 'secret' || cls === 'label' || cls === 'location') && typeof v === 'string') this.addLiteral(v, cls);
        else this.collect(v);
      }
    }
  }

  addLiteral(raw: string, kind: 'secret' | 'label' | 'location'): void {
    const v = raw.trim();
    // Short values ("en", "yes") would shred unrelated text; they are still dropped in their own field.
    if (v.length < 4 || this.#literals.has(v)) return;
    this.#literals.set(v, kind);
    this.#literalPattern = null;
  }

  /** The stable stand-in for an identifier within this bundle. */
  hashOf(id: string): string {
    const canonical = hexToAscii(id) ?? id;
    return `id#${createHmac('sha256', this.#hashKey).update(canonical.toLowerCase()).digest('hex').slice(0, 10)}`;
  }

  #count(kind: RedactionKind, n = 1): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + n;
  }

  #mark(kind: RedactionKind): string {
    this.#count(kind);
    return `[redacted:${kind}]`;
  }

  /** Pass 2: a deep copy of a JSON value with everything sensitive replaced. */
  value(value: unknown, key: string | null = null): unknown {
    const cls = key === null ? null : classifyKey(key);
    if (cls === 'secret' && value !== null && value !== undefined && value !== '' && typeof value !== 'boolean') return this.#mark('secret');
    if (cls === 'label' && typeof value === 'string' && value !== '') return this.#mark('label');
    if ((cls === 'label' || cls === 'location') && value !== null && typeof value === 'object') return this.#mark(cls === 'label' ? 'label' : 'location');
    if (cls === 'location' && (typeof value === 'string' || typeof value === 'number') && value !== '') return this.#mark('location');
    if (cls === 'identifier' && (typeof value === 'string' || typeof value === 'number') && value !== '') {
      const s = String(value);
      if (s.length < MIN_IDENTIFIER) return this.#mark('identifier');
      this.#count('identifier');
      return this.hashOf(s);
    }
    if (cls === 'address' && typeof value === 'string' && value !== '' && !/^0x[0-9a-f]{40}$/i.test(value)) {
      // A field called address that is not an EVM address may be a street address: drop it.
      const s = this.string(value);
      return s === value ? this.#mark('location') : s;
    }
    if (typeof value === 'string') return this.string(value);
    if (typeof value === 'number') {
      if (this.#identifiers.has(String(value))) {
        this.#count('identifier');
        return this.hashOf(String(value));
      }
      return value;
    }
    if (Array.isArray(value)) return value.map((v) => this.value(v, cls === 'address' ? key : null));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        out[k] = this.value(v, k);
      }
      return out;
    }
    return value;
  }

  /** Redact one string by identity and by shape. */
  string(input: string): string {
    let s = input;
    s = this.#literalsIn(s);
    s = this.#identifiersIn(s);
    s = s.replace(URL_RE, (u) => this.#url(u));
    s = s.replace(EMAIL, () => this.#mark('email'));
    s = this.#userIn(s);
    s = s.replace(JWT, () => this.#mark('token'));
    s = s.replace(AUTH_HEADER, (_m, scheme: string) => `${scheme} ${this.#mark('token')}`);
    s = s.replace(KV_SECRET, (_m, k: string, q: string) => `${k}${q}${this.#mark('secret')}`);
    s = s.replace(XKEY, () => this.#mark('secret'));
    s = s.replace(HEX_RUN, (h) => {
      const digits = h.startsWith('0x') || h.startsWith('0X') ? h.length - 2 : h.length;
      return this.#mark(digits === 40 ? 'address' : 'hex-secret');
    });
    s = s.replace(/0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g, () => this.#mark('address'));
    s = s.replace(TOKEN_LIKE, (t) => (/[A-Z]/.test(t) && /[a-z]/.test(t) && /\d/.test(t) ? this.#mark('token') : t));
    s = s.replace(GEO, () => this.#mark('geo'));
    s = s.replace(MAC, () => this.#mark('mac'));
    s = s.replace(IPV4, (ip) => (ip.startsWith('127.') || ip === '0.0.0.0' ? ip : this.#mark('ip')));
    s = s.replace(IPV6_CANDIDATE, (c) => (looksIpv6(c) ? this.#mark('ip') : c));
    s = this.#mnemonics(s);
    return s;
  }

  #literalsIn(s: string): string {
    if (this.#literals.size === 0) return s;
    if (!this.#literalPattern) {
      // Whole words only, and case-sensitive: a label "Home" must not eat "/home/" in every path.
      const sorted = [...this.#literals.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
      this.#literalPattern = new RegExp(`(?<![\\w])(?:${sorted.join('|')})(?![\\w])`, 'g');
    }
    return s.replace(this.#literalPattern, (m) => this.#mark(this.#literals.get(m) ?? 'secret'));
  }

  #identifiersIn(s: string): string {
    if (this.#identifiers.size === 0) return s;
    if (!this.#idPattern) {
      const sorted = [...this.#identifiers].sort((a, b) => b.length - a.length).map(escapeRe);
      this.#idPattern = new RegExp(sorted.join('|'), 'gi');
    }
    return s.replace(this.#idPattern, (m) => {
      this.#count('identifier');
      return this.hashOf(m);
    });
  }

  #userIn(s: string): string {
    let out = s;
    if (this.#home) {
      const re = new RegExp(escapeRe(this.#home), process.platform === 'win32' ? 'gi' : 'g');
      out = out.replace(re, () => {
        this.#count('user-path');
        return '~';
      });
    }
    for (const re of USER_PATHS) {
      out = out.replace(re, (_m, prefix: string, name: string) => {
        if (name === '<user>') return `${prefix}${name}`;
        this.#count('user-path');
        return `${prefix}<user>`;
      });
    }
    if (this.#user) {
      out = out.replace(new RegExp(`(?<![\\w])${escapeRe(this.#user)}(?![\\w])`, 'gi'), () => {
        this.#count('user-name');
        return '<user>';
      });
    }
    if (this.#host) {
      out = out.replace(new RegExp(`(?<![\\w-])${escapeRe(this.#host)}(?![\\w-])`, 'gi'), () => {
        this.#count('host-name');
        return '<host>';
      });
    }
    return out;
  }

  #url(raw: string): string {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return raw;
    }
    let changed = false;
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
      this.#count('url-credentials');
      changed = true;
    }
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
    const loopback = host === 'localhost' || host.startsWith('127.') || host === '::1';
    // Keep the provider's name (support needs it) but not a home node's address.
    const hostOut = isIp && !loopback ? this.#mark('ip') : u.host;
    // Path segments and query values are where providers put API keys (infura /v3/<key>, ?apikey=).
    const path = u.pathname
      .split('/')
      .map((seg) => (seg.length >= 16 && /\d/.test(seg) && /[a-z]/i.test(seg) ? this.#mark('token') : seg))
      .join('/');
    if (path !== u.pathname) changed = true;
    let query = '';
    if (u.search) {
      const parts: string[] = [];
      for (const [k] of u.searchParams) parts.push(`${k}=${this.#mark('secret')}`);
      query = `?${parts.join('&')}`;
      changed = true;
    }
    if (u.hash) changed = true;
    if (!changed && hostOut === u.host) return raw;
    return `${u.protocol}//${hostOut}${path}${query}`;
  }

  #mnemonics(s: string): string {
    const words = bip39Words();
    const out = s.replace(WORD_RUN, (run) => {
      const tokens = [...run.matchAll(/[a-z]+/gi)];
      let result = '';
      let copied = 0;
      let i = 0;
      while (i < tokens.length) {
        let j = i;
        while (j < tokens.length && words.has(tokens[j]![0].toLowerCase())) j++;
        // Stretches of ≥ 8 consecutive wordlist words: a partial mnemonic is still a leak.
        if (j - i >= 8) {
          const from = tokens[i]!.index;
          const last = tokens[j - 1]!;
          result += run.slice(copied, from) + this.#mark('mnemonic');
          copied = last.index + last[0].length;
        }
        i = Math.max(j, i + 1);
      }
      return result + run.slice(copied);
    });
    return out.replace(CJK_RUN, () => this.#mark('mnemonic'));
  }

  /**
   * Frame bytes: meter ids travel inside frames (DSMR 0-0:96.1.1, IEC C.1.0, the DL/T 645 address
   * field, the SML server id). Identified bytes are overwritten with '*' (0x2a); the frame keeps
   * its length so support still sees its structure.
   */
  bytes(input: Uint8Array, protocol: string | null): Uint8Array {
    const b = new Uint8Array(input);
    let masked = 0;
    const mask = (from: number, to: number) => {
      for (let i = from; i < to && i < b.length; i++) {
        if (b[i] !== 0x2a) masked++;
        b[i] = 0x2a;
      }
    };
    // Text protocols: scrub the values of identifying OBIS objects.
    const text = latin1(b);
    const textual = [
      /\d-\d:96\.1\.\d(?:\.\d+)?(?:\*\d+)?\(([^)]*)\)/g, // DSMR equipment identifiers (electricity, gas, water)
      /\d-\d:96\.13\.\d(?:\*\d+)?\(([^)]*)\)/g, // DSMR text message: free text from the operator
      /(?:^|[\r\n\x02])(?:\d-\d:)?(?:C\.1\.[01]|0\.0\.[0-9]|96\.1\.[0-9])(?:\*\d+)?\(([^)]*)\)/g, // IEC 62056-21 meter/serial numbers
    ];
    for (const re of textual) {
      for (const m of text.matchAll(re)) {
        const start = m.index + m[0].length - 1 - m[1]!.length;
        mask(start, start + m[1]!.length);
      }
    }
    // DL/T 645-2007 §7.1: 68 A0..A5 68 — the address is the meter number in BCD.
    if (protocol === null || protocol === 'dlt645') {
      for (let i = 0; i + 7 < b.length; i++) {
        if (b[i] === 0x68 && b[i + 7] === 0x68) {
          const addr = b.subarray(i + 1, i + 7);
          const broadcast = addr.every((x) => x === 0x99) || addr.every((x) => x === 0xaa);
          if (!broadcast) mask(i + 1, i + 7);
        }
      }
    }
    // SML (BSI TR-03109-1): server ids are octet strings, TL 0x0b then 10 bytes starting 0x0a or 0x06/0x09.
    if (protocol === null || protocol === 'sml') {
      for (let i = 0; i + 10 < b.length; i++) {
        if (b[i] === 0x0b && (b[i + 1] === 0x0a || b[i + 1] === 0x06 || b[i + 1] === 0x09)) mask(i + 1, i + 11);
      }
    }
    // Known identifiers in any encoding: ASCII, raw bytes of a hex id, BCD straight and reversed.
    for (const id of this.#identifiers) {
      for (const needle of byteForms(id)) {
        if (needle.length < 3) continue;
        for (let at = indexOf(b, needle, 0); at >= 0; at = indexOf(b, needle, at + 1)) mask(at, at + needle.length);
      }
    }
    if (masked) this.#count('frame-bytes');
    return b;
  }
}

function looksIpv6(c: string): boolean {
  const groups = c.split(':');
  if (groups.some((g) => g.length > 4)) return false;
  const hasLetters = /[a-f]/i.test(c);
  return c.includes('::') ? groups.filter(Boolean).length >= 1 && (hasLetters || groups.length >= 3) : groups.length >= 6 || (hasLetters && groups.length >= 4);
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function byteForms(id: string): Uint8Array[] {
  const forms: Uint8Array[] = [];
  if (isPrintableAscii(id)) forms.push(Uint8Array.from(id, (c) => c.charCodeAt(0)));
  if (/^[0-9a-f]+$/i.test(id) && id.length % 2 === 0) {
    const raw = Uint8Array.from({ length: id.length / 2 }, (_, i) => parseInt(id.slice(i * 2, i * 2 + 2), 16));
    forms.push(raw);
    // BCD digits are the same nibbles; DL/T 645 sends them least significant byte first.
    if (/^\d+$/.test(id)) forms.push(raw.slice().reverse());
  }
  return forms;
}

/** Redact a whole JSON value in one go (collect identifiers, then replace). */
export function redact<T>(value: T, ctx: RedactionContext = {}): { value: unknown; counts: Partial<Record<RedactionKind, number>>; redactor: Redactor } {
  const r = new Redactor(ctx);
  r.collect(value);
  return { value: r.value(value), counts: r.counts, redactor: r };
}
