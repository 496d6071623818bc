// The sandboxed preload: exposes the bridge port to the page (see preloadPort.ts), never ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadPort } from './preloadPort';

// renderer/bridge/index.ts reads it under this name.
contextBridge.exposeInMainWorld('fleetdeckBridge', createPreloadPort(ipcRenderer));
