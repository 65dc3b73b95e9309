import { z } from 'zod';
import { channel, event } from './channel.js';

// The ledger domain of the contract. Filled by its issue; see main/api/app.ts for the pattern.

export const ledgerErrorCodes = [] as const;

export const ledgerChannels = {};

export const ledgerEvents = {};

void z;
void channel;
void event;
