import { z } from 'zod';
import { channel, event } from './channel.js';

// The history domain of the contract. Filled by its issue; see main/api/app.ts for the pattern.

export const historyErrorCodes = [] as const;

export const historyChannels = {};

export const historyEvents = {};

void z;
void channel;
void event;
