import { z } from 'zod';
import { channel, event } from './channel.js';

// The wallet domain of the contract. Filled by its issue; see main/api/app.ts for the pattern.

export const walletErrorCodes = [] as const;

export const walletChannels = {};

export const walletEvents = {};

void z;
void channel;
void event;
