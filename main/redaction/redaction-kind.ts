/** What a replacement stood for; counted per kind so a bundle says what it lost, and written as `[redacted:<kind>]`. */
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

export type RedactionCounts = Partial<Record<RedactionKind, number>>;

/** The text that stands in for a redacted value. */
export const marker = (kind: RedactionKind): string => `[redacted:${kind}]`;
