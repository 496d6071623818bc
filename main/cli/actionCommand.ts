// fleetdeck start|stop|restart --container HOST/NAME: one container action through the console's
// own action path (so it is checked, mapped and audited the same way), with source "cli".
import type { ActionResult, ContainerAction } from '../../shared/model';
import { openFleet } from '../core/open';

export interface ActionCommandOptions {
  fleetFile: string | undefined;
  action: ContainerAction;
  host: string;
  container: string;
  timeoutS: number;
  json: boolean;
}

/** What the command prints with --json: the action's result, with the container as it was named. */
export type ActionOutput = ActionResult & { container: string };

/** Connects to the target's host alone, waits for it to answer (at most the timeout), and acts. */
export async function actionCommand(options: ActionCommandOptions): Promise<ActionOutput> {
  const { core } = await openFleet({ fleetFile: options.fleetFile, mode: 'browser', source: 'cli', onlyHosts: [options.host] });
  try {
    await core.settled(options.timeoutS * 1000);
    const result = await core.actions.containerAction({ host: options.host, container: options.container }, options.action);
    return { ...result, container: options.container };
  } finally {
    await core.close();
  }
}

/** "h1/payments-api-1" -> host and container; undefined where either part is missing. */
export function parseContainerRef(text: string): { host: string; container: string } | undefined {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) return undefined;
  return { host: text.slice(0, slash), container: text.slice(slash + 1) };
}
