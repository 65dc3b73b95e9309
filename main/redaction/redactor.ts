import { randomBytes } from 'node:crypto';
import { maskFrameBytes } from './frame-bytes.js';
import { EVM_ADDRESS, findSplitHex, HEX_RUN, isEvmAddress } from './hex-secrets.js';
import { identifierForms, identifierHash } from './identifiers.js';
import { IPV4, IPV4_MAPPED, IPV6_CANDIDATE, isLoopbackIpv4, looksIpv6, MAC } from './network-addresses.js';
import { EMAIL, escapeRegExp, GEO, personalNames, USER_PATHS, type PersonalNames } from './personal-text.js';
import { findRecoveryWords } from './recovery-words.js';
import { marker, type RedactionCounts, type RedactionKind } from './redaction-kind.js';
import type { RedactionContext, RedactionPolicy } from './redaction-policy.js';
import { redactUrl, URL_IN_TEXT } from './rpc-url.js';
import { AUTH_HEADER, EXTENDED_KEY, JWT, KV_SECRET, looksRandom, TOKEN_LIKE } from './secret-patterns.js';
import { replaceSpans } from './text-span.js';
import { collectFields, redactTree, type WalkOps } from './tree-walk.js';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
// A long-lived redactor (the logger's) must not grow without bound on what it is shown.
const MAX_IDENTIFIERS = 1024;

/**
 * The one redactor of the app: the support bundle and the log file both pass through it. Three
 * layers, because no single one is enough:
 * 1. by key: a field named like a secret, a label or a location is replaced whole;
 * 2. by identity: serial numbers and meter ids found anywhere are replaced by a keyed hash wherever
 *    they recur — also inside longer strings, hex dumps and BCD frames;
 * 3. by shape: strings are scanned for recovery words, keys, tokens, credentials and addresses.
 * Over-redaction is accepted; a leak is not.
 *
 * A bundle builds one per bundle: `collect` everything first, then `value` the whole. The logger
 * keeps one for its life and passes each entry through `entry`.
 */
export class Redactor {
  readonly policy: RedactionPolicy;
  readonly counts: RedactionCounts = {};
  readonly #hashKey: Uint8Array;
  readonly #identifiers = new Set<string>();
  readonly #names: PersonalNames;
  #idPattern: RegExp | null = null;
  /** Values of secret, label and location fields, replaced wherever they recur in free text. */
  readonly #literals = new Map<string, RedactionKind>();
  #literalPattern: RegExp | null = null;
  readonly #ops: WalkOps;

  constructor(ctx: RedactionContext = {}) {
    this.policy = ctx.policy ?? 'outbound';
    this.#hashKey = ctx.hashKey ?? randomBytes(32);
    this.#names = personalNames(ctx);
    for (const id of ctx.identifiers ?? []) this.addIdentifier(id);
    this.#ops = {
      policy: this.policy,
      string: (s) => this.string(s),
      mark: (k) => this.#mark(k),
      identifier: (id) => {
        this.#count('identifier');
        return this.hashOf(id);
      },
      isIdentifier: (s) => this.#identifiers.has(s),
      addIdentifier: (id) => this.addIdentifier(id),
      addLiteral: (v, k) => this.addLiteral(v, k),
    };
  }

  /** A value that locates the household; every later occurrence, in any string or frame, is hashed. */
  addIdentifier(raw: string | number): void {
    for (const f of identifierForms(raw)) {
      if (this.#identifiers.has(f)) continue;
      if (this.#identifiers.size >= MAX_IDENTIFIERS) this.#identifiers.delete(this.#identifiers.values().next().value!);
      this.#identifiers.add(f);
      this.#idPattern = null;
    }
  }

  get identifiers(): readonly string[] {
    return [...this.#identifiers];
  }

  addLiteral(raw: string, kind: 'secret' | 'label' | 'location'): void {
    const v = raw.trim();
    // Short values ("en", "yes") would shred unrelated text; they are still dropped in their own field.
    if (v.length < 4 || this.#literals.has(v)) return;
    this.#literals.set(v, kind);
    this.#literalPattern = null;
  }

  /** Pass 1: remember identifiers and the values of secret, label and location fields. */
  collect(value: unknown): void {
    collectFields(value, this.#ops);
  }

  /** Pass 2: a deep copy of a JSON value with everything sensitive replaced. */
  value(value: unknown, key: string | null = null): unknown {
    return redactTree(value, key, this.#ops);
  }

  /**
   * One log entry: collect and replace, with the entry's own secret and label values forgotten
   * afterwards (a long-lived redactor must not keep them, nor grow with every line).
   */
  entry(value: unknown): unknown {
    const before = new Set(this.#literals.keys());
    this.collect(value);
    try {
      return this.value(value);
    } finally {
      if (this.#literals.size !== before.size) {
        for (const k of [...this.#literals.keys()]) if (!before.has(k)) this.#literals.delete(k);
        this.#literalPattern = null;
      }
    }
  }

  /** The stable stand-in for an identifier within this redactor's life. */
  hashOf(id: string): string {
    return identifierHash(id, this.#hashKey);
  }

  #count(kind: RedactionKind, n = 1): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + n;
  }

  #mark(kind: RedactionKind): string {
    this.#count(kind);
    return marker(kind);
  }

  /** Redact one string by identity and by shape. */
  string(input: string): string {
    const mark = (k: RedactionKind) => this.#mark(k);
    const local = this.policy === 'local-log';
    // Every log line starts with one; nothing can hide in a bare timestamp.
    if (ISO_TIME.test(input)) return input;
    let s = input;
    s = this.#literalsIn(s);
    s = this.#identifiersIn(s);
    // Secrets spread over a stretch of text first, before other rules cut the stretch apart.
    s = replaceSpans(s, findRecoveryWords(s), () => mark('mnemonic'));
    s = replaceSpans(s, findSplitHex(s), () => mark('hex-secret'));
    // Each rule runs only where its shape can be: most log strings skip most of them.
    const has = (c: string) => s.includes(c);
    if (has('://')) s = s.replace(URL_IN_TEXT, (u) => redactUrl(u, mark));
    if (has('@')) s = s.replace(EMAIL, () => mark('email'));
    s = this.#personalIn(s);
    if (has('eyJ')) s = s.replace(JWT, () => mark('token'));
    s = s.replace(AUTH_HEADER, (_m, scheme: string) => `${scheme} ${mark('token')}`);
    if (has('=') || has(':')) s = s.replace(KV_SECRET, (_m, k: string, q: string) => `${k}${q}${mark('secret')}`);
    if (has('prv') || has('pub')) s = s.replace(EXTENDED_KEY, () => mark('secret'));
    if (s.length >= 32) {
      s = s.replace(HEX_RUN, (h) => {
        const prefixed = h.startsWith('0x') || h.startsWith('0X');
        const digits = prefixed ? h.length - 2 : h.length;
        if (digits === 40 && prefixed && local) return h;
        return mark(digits === 40 ? 'address' : 'hex-secret');
      });
      if (!local) s = s.replace(EVM_ADDRESS, () => mark('address'));
      s = s.replace(TOKEN_LIKE, (t) => (looksRandom(t) && !(local && isEvmAddress(t)) ? mark('token') : t));
    }
    if (has('.')) s = s.replace(GEO, () => mark('geo'));
    if (has(':') || has('-')) s = s.replace(MAC, () => mark('mac'));
    if (has(':') && has('.')) s = s.replace(IPV4_MAPPED, () => mark('ip'));
    if (has('.')) s = s.replace(IPV4, (ip) => (isLoopbackIpv4(ip) ? ip : mark('ip')));
    if (has(':')) s = s.replace(IPV6_CANDIDATE, (c) => (looksIpv6(c) ? mark('ip') : c));
    return s;
  }

  #literalsIn(s: string): string {
    if (this.#literals.size === 0) return s;
    if (!this.#literalPattern) {
      // Whole words only, and case-sensitive: a label "Home" must not eat "/home/" in every path.
      const sorted = [...this.#literals.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.#literalPattern = new RegExp(`(?<![\\w])(?:${sorted.join('|')})(?![\\w])`, 'g');
    }
    return s.replace(this.#literalPattern, (m) => this.#mark(this.#literals.get(m) ?? 'secret'));
  }

  #identifiersIn(s: string): string {
    if (this.#identifiers.size === 0) return s;
    if (!this.#idPattern) {
      const sorted = [...this.#identifiers].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.#idPattern = new RegExp(sorted.join('|'), 'gi');
    }
    return s.replace(this.#idPattern, (m) => {
      this.#count('identifier');
      return this.hashOf(m);
    });
  }

  #personalIn(s: string): string {
    let out = s;
    const { home, user, host } = this.#names;
    if (home) {
      out = out.replace(home, () => {
        this.#count('user-path');
        return '~';
      });
    }
    if (/\/home\/|\/Users\/|\\Users\\/i.test(out)) {
      for (const re of USER_PATHS) {
        out = out.replace(re, (_m, prefix: string, name: string) => {
          if (name === '<user>') return `${prefix}${name}`;
          this.#count('user-path');
          return `${prefix}<user>`;
        });
      }
    }
    if (user) {
      out = out.replace(user, () => {
        this.#count('user-name');
        return '<user>';
      });
    }
    if (host) {
      out = out.replace(host, () => {
        this.#count('host-name');
        return '<host>';
      });
    }
    return out;
  }

  /** Frame bytes with the meter ids inside masked; see maskFrameBytes. */
  bytes(input: Uint8Array, protocol: string | null): Uint8Array {
    const { bytes, masked } = maskFrameBytes(input, protocol, this.#identifiers);
    if (masked) this.#count('frame-bytes');
    return bytes;
  }
}

/** Redact a whole JSON value in one go (collect identifiers, then replace). */
export function redact(value: unknown, ctx: RedactionContext = {}): { value: unknown; counts: RedactionCounts; redactor: Redactor } {
  const r = new Redactor(ctx);
  r.collect(value);
  return { value: r.value(value), counts: r.counts, redactor: r };
}

