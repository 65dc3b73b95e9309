/**
 * The globals isomorphic code may use: the part of the web platform that Node (≥ 20) and every
 * browser both provide (WinterCG's minimum common API), reduced to what our isomorphic code
 * calls. Declared here, for tsconfig.isomorphic.json only, instead of lib "DOM" or @types/node,
 * so that `document`, `window`, `Buffer` or `process` in isomorphic code fail the type check.
 * Extend it only with what both processes really have.
 */

declare class TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array<ArrayBuffer>;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

declare class URL {
  constructor(url: string, base?: string | URL);
  readonly origin: string;
  href: string;
  protocol: string;
  username: string;
  password: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  hash: string;
  toString(): string;
}

declare class AbortSignal {
  static timeout(milliseconds: number): AbortSignal;
  readonly aborted: boolean;
  readonly reason: unknown;
}

interface ResponseLike {
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}
type Response = ResponseLike;

declare function fetch(
  input: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
): Promise<Response>;

declare function structuredClone<T>(value: T): T;

/** WebCrypto: `globalThis.crypto` in Node and in browsers. */
interface CryptoKey {
  readonly type: string;
  readonly extractable: boolean;
}

interface AesGcmParams {
  name: 'AES-GCM';
  iv: Uint8Array<ArrayBuffer>;
  additionalData?: Uint8Array<ArrayBuffer>;
  tagLength?: number;
}

interface SubtleCrypto {
  importKey(format: 'raw', keyData: Uint8Array<ArrayBuffer>, algorithm: { name: 'AES-GCM' }, extractable: boolean, keyUsages: ReadonlyArray<'encrypt' | 'decrypt'>): Promise<CryptoKey>;
  encrypt(algorithm: AesGcmParams, key: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  decrypt(algorithm: AesGcmParams, key: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

interface Crypto {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends Uint8Array>(array: T): T;
}

declare var crypto: Crypto;
