import { z } from 'zod';
import { channel, event } from './channel.js';

export const appErrorCodes = ['SETTINGS_INVALID'] as const;

export const language = z.enum(['en', 'zh-CN']);
export const theme = z.enum(['light', 'dark', 'system']);

export const settingsSchema = z.object({
  language,
  theme,
  /** JSON-RPC endpoint of the ledger; null in demo mode (the local chain). */
  rpcUrl: z.string().url().nullable(),
  contractAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/).nullable(),
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
    doc: 'Change some settings; answers the whole new settings.',
    request: settingsSchema.partial().strict(),
    response: settingsSchema,
    errors: ['SETTINGS_INVALID'],
  }),
};

export const appEvents = {
  'settings.changed': event({ doc: 'Settings changed (any window).', payload: settingsSchema }),
};
