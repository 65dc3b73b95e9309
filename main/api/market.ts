import { z } from 'zod';
import { channel, event } from './channel.js';

// The market domain of the contract. Filled by its issue; see main/api/app.ts for the pattern.

export const marketErrorCodes = [] as const;

export const marketChannels = {};

export const marketEvents = {};

void z;
void channel;
void event;
