// Which Deploy or Roll back dialog is open, if any: one value that the dialogs, the app frame (which
// goes inert behind them) and whatever asks for one (the action bar, the palette) share. UI state
// only, no fleet data.
import { sharedValue } from '../../components/sharedValue';
import type { StartTarget } from './scope';

export type StartAsk = { action: 'deploy' | 'rollback'; target: StartTarget };

const asked = sharedValue<StartAsk | null>(null);

export const askStart = (ask: StartAsk): void => asked.set(ask);
export const closeStart = (): void => asked.set(null);
export const useStartAsk = (): StartAsk | null => asked.useValue();
