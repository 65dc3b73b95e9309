import { contextBridge, ipcRenderer } from 'electron';
import { createClient, type Transport } from '../main/api/client.js';
import type { Envelope } from '../main/api/contract.js';

// Exposes the contract as `window.wattlet` and nothing else. Bundled to CommonJS for the sandbox.
const IPC_CALL = 'wattlet:call';
const IPC_EVENT = 'wattlet:event';

const listeners = new Map<string, Set<(payload: unknown) => void>>();
ipcRenderer.on(IPC_EVENT, (_event, name: string, payload: unknown) => {
  for (const l of listeners.get(name) ?? []) l(payload);
});

const transport: Transport = {
  call: (channel, request) => ipcRenderer.invoke(IPC_CALL, channel, request) as Promise<Envelope>,
  subscribe(event, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
};

contextBridge.exposeInMainWorld('wattlet', createClient(transport));
