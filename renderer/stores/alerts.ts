// Alerts store: PLACEHOLDER until the alerts panel lands (issue 14, helper L5).
import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import type { ConnectionWatch } from './connection';
import { boundStore, type Store } from './boundStore';

export type AlertsState = { connect(): void; disconnect(): void };

export function createAlertsStore(_api: Api, _connection: ConnectionWatch): Store<AlertsState> {
  return create<AlertsState>()(() => ({ connect: () => {}, disconnect: () => {} }));
}

export const useAlerts = boundStore<AlertsState>('alerts');
