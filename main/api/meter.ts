import { z } from 'zod';
import { channel, event } from './channel.js';

// The meter domain of the contract. Filled by its issue; see main/api/app.ts for the pattern.

export const meterErrorCodes = [] as const;

export const meterChannels = {};

export const meterEvents = {};

void z;
void channel;
void event;
