// The ip commands' map: the fleet opened as the other listings open it (the core's IP map), every
// host waited for (at most --timeout), then the map read once more from all of them.
import { openFleet } from '../core/open';
import type { IpMapOpener } from './ipCommands';

export const openIpMap: IpMapOpener = async ({ fleetFile, timeoutS, warn }) => {
  const { core } = await openFleet({ fleetFile, mode: 'browser', source: 'cli' });
  try {
    const pending = await core.settled(timeoutS * 1000);
    for (const name of pending) warn(`host ${name} did not answer within ${timeoutS} s`);
    for (const host of core.hosts) {
      const { state } = host.status;
      if (state !== 'online' && !pending.includes(host.spec.name)) warn(`host ${host.spec.name} is ${state}`);
    }
    await core.ipMap.service.refresh();
    return { map: core.ipMap.service, allOnline: core.hosts.every((h) => h.status.state === 'online'), close: () => core.close() };
  } catch (err) {
    await core.close();
    throw err;
  }
};
