// Log views store: PLACEHOLDER until the log view lands (issue 14, helper L3).
import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import { boundStore, type Store } from './boundStore';

export type LogsState = Record<string, never>;

export function createLogsStore(_api: Api): Store<LogsState> {
  return create<LogsState>()(() => ({}));
}

export const useLogs = boundStore<LogsState>('logs');
