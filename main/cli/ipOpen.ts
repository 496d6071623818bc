// The ip commands' map: the fleet opened as the other listings open it, every host waited for (at
// most --timeout), then the IP map read once from all of them.
import { systemClock } from '../clock/clock';
import { dataDirectory } from '../audit/dataDir';
import { createCoreIpMap } from '../core/ipMap';
import { openFleet } from '../core/open';
import type { IpMapOpener } from './ipCommands';

export const openIpMap: IpMapOpener = async ({ fleetFile, timeoutS, warn }) => {
  const fleet = await openFleet({ fleetFile, mode: 'browser', source: 'cli' });
  const ipMap = createCoreIpMap({ fleet: fleet.spec, hosts: fleet.core.hosts, actions: fleet.core.actions, clock: systemClock, dataDir: dataDirectory(), log: warn });
  const close = async () => {
    ipMap.service.close();
    await fleet.core.close();
  };
  try {
    const pending = await fleet.core.settled(timeoutS * 1000);
    for (const name of pending) warn(`host ${name} did not answer within ${timeoutS} s`);
    for (const host of fleet.core.hosts) {
      const { state } = host.status;
      if (state !== 'online' && !pending.includes(host.spec.name)) warn(`host ${host.spec.name} is ${state}`);
    }
    await ipMap.service.refresh();
    return { map: ipMap.service, allOnline: fleet.core.hosts.every((h) => h.status.state === 'online'), close };
  } catch (err) {
    await close();
    throw err;
  }
};
