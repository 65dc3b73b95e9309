import { z } from 'zod';
import { channel, event } from './channel.js';

export const appErrorCodes = ['SETTINGS_INVALID'] as const;

export const language = z.enum(['en', 'zh-CN']);
export const theme = z.enum(['light', 'dark', 'system']);

/**
 * JSON-RPC endpoints are reached over HTTP(S) only: every client of the chain (the connection's
 * provider, the evidence fetcher) speaks JSON-RPC over HTTP, so a ws(s):// endpoint would be
 * accepted here and then fail on first use. Anything else the URL parser accepts (javascript:,
 * file:, data:, blob:, ftp:) would be fetched or opened by something that is not a JSON-RPC
 * client. Both are refused when the setting is made, with a rule the UI can translate
 * (`facts.rule`) and the scheme it saw.
 */
export const RPC_URL_SCHEMES = ['http:', 'https:'] as const;
export const RPC_URL_MAX = 2048;

export const settingsRules = ['rpcUrlInvalid', 'rpcUrlScheme', 'rpcUrlNoHost', 'contractAddressFormat'] as const;
export type SettingsRule = (typeof settingsRules)[number];

export const rpcUrlSchema = z
  .string()
  .max(RPC_URL_MAX)
  .superRefine((value, ctx) => {
    let url: URL | null = null;
    try {
      // Whitespace or control characters inside are not part of any endpoint a person typed on purpose.
      if (!/[\s\x00-\x1f\x7f]/.test(value)) url = new URL(value);
    } catch {
      url = null;
    }
    if (!url) {
      ctx.addIssue({ code: 'custom', message: 'The RPC URL is not a valid address', params: { rule: 'rpcUrlInvalid' satisfies SettingsRule } });
      return;
    }
    if (!(RPC_URL_SCHEMES as readonly string[]).includes(url.protocol)) {
      ctx.addIssue({
        code: 'custom',
        message: `The RPC URL must start with http:// or https:// (not ${url.protocol.slice(0, 32)})`,
        params: { rule: 'rpcUrlScheme' satisfies SettingsRule, scheme: url.protocol.slice(0, 32) },
      });
      return;
    }
    if (!url.hostname) ctx.addIssue({ code: 'custom', message: 'The RPC URL names no host', params: { rule: 'rpcUrlNoHost' satisfies SettingsRule } });
  });

/** An EVM address: 0x and 40 hex digits. Refused with a rule the UI says in words, never the pattern. */
export const contractAddressSchema = z.string().superRefine((value, ctx) => {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'The contract address must be 0x followed by 40 hexadecimal digits',
      params: { rule: 'contractAddressFormat' satisfies SettingsRule },
    });
  }
});

export const settingsSchema = z.object({
  language,
  theme,
  /** JSON-RPC endpoint of the ledger (http, https, ws, wss); null in demo mode (the local chain). */
  rpcUrl: rpcUrlSchema.nullable(),
  contractAddress: contractAddressSchema.nullable(),
  /** The household meter's id as printed on it (equipment id), for the ledger; null in demo mode. */
  meterId: z.string().trim().min(1).max(64).nullable().default(null),
  /** Auto-lock of the wallet, in seconds. */
  autoLockSeconds: z.number().int().min(30).max(86_400),
});
export type Settings = z.infer<typeof settingsSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser', 'cli']),
  mode: z.enum(['demo', 'live']),
  platform: z.string(),
  nodeVersion: z.string(),
  dataDir: z.string(),
  startedAt: z.number().int(),
  /** Main-process uptime in ms when the request was served: proof the value is live. */
  uptimeMs: z.number().int().nonnegative(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const appChannels = {
  'app.info': channel({
    doc: 'What is running: version, host, mode, data folder.',
    request: z.object({}),
    response: appInfoSchema,
    errors: [],
  }),
  'settings.get': channel({
    doc: 'The persisted settings.',
    request: z.object({}),
    response: settingsSchema,
    errors: [],
  }),
  'settings.update': channel({
    doc: 'Change some settings; answers the whole new settings. An RPC URL other than http(s)/ws(s), or a contract address that is not 0x + 40 hex digits, is SETTINGS_INVALID (facts: path, problem, rule, scheme).',
    // The RPC URL and the contract address are only bounded strings here: the settings store
    // checks them and answers SETTINGS_INVALID with a rule the Settings page translates, not a
    // generic REQUEST_INVALID with the schema's words.
    request: settingsSchema
      .partial()
      .strict()
      .extend({ rpcUrl: z.string().max(RPC_URL_MAX).nullable().optional(), contractAddress: z.string().max(200).nullable().optional() }),
    response: settingsSchema,
    errors: ['SETTINGS_INVALID'],
  }),
};

export const appEvents = {
  'settings.changed': event({ doc: 'Settings changed (any window).', payload: settingsSchema }),
};
