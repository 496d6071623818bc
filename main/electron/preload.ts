// Builds window.fleetdeck from the contract: one function per entry, never a raw ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';
import { callNames, streamNames } from '../../shared/contract';
import { CALL, EVENT, SUBSCRIBE, UNSUBSCRIBE } from './channels';

const listeners = new Map<number, (event: unknown) => void>();
let nextId = 1;

ipcRenderer.on(EVENT, (_event, id: number, payload: unknown) => listeners.get(id)?.(payload));

const api: Record<string, unknown> = {};
for (const name of callNames) api[name] = (request: unknown) => ipcRenderer.invoke(CALL, name, request);
for (const name of streamNames) {
  api[name] = (params: unknown, onEvent: (event: unknown) => void) => {
    const id = nextId++;
    listeners.set(id, onEvent);
    ipcRenderer.send(SUBSCRIBE, id, name, params);
    return () => {
      listeners.delete(id);
      ipcRenderer.send(UNSUBSCRIBE, id);
    };
  };
}

contextBridge.exposeInMainWorld('fleetdeck', api);
