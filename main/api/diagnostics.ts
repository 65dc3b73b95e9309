import { z } from 'zod';
import { channel, event } from './channel.js';

// The diagnostics domain of the contract. Filled by its issue; see main/api/app.ts for the pattern.

export const diagnosticsErrorCodes = [] as const;

export const diagnosticsChannels = {};

export const diagnosticsEvents = {};

void z;
void channel;
void event;
