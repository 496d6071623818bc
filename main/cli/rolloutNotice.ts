// The notice each rollout command starts with (issue 11: "when the console or the CLI starts, an
// interrupted rollout shows each container's state and offers Resume or Roll back"): one stderr
// line per rollout on record that is interrupted or paused, with each container's last step and
// the commands that carry it on, stop it or revert it.
import type { RolloutSummary } from '../rollout/journal';

/** One line for an unfinished rollout. */
export function unfinishedLine(r: Pick<RolloutSummary, 'id' | 'action' | 'service' | 'state' | 'reason' | 'containers'>): string {
  const what = `${r.action}${r.service !== undefined ? ` of ${r.service}` : ''}`;
  const state = r.state === 'interrupted' ? 'was interrupted' : `is ${r.state}${r.reason ? ` (${r.reason})` : ''}`;
  const containers = r.containers.map((c) => `${c.container} ${c.step}`).join(', ');
  const next = [`fleetdeck resume ${r.id}`, `fleetdeck abort ${r.id}`, ...(r.service !== undefined ? [`fleetdeck rollback --service ${r.service}`] : [])];
  return `fleetdeck: rollout ${r.id} (${what}) ${state}: ${containers}: ${next.slice(0, -1).join(', ')}, or ${next.at(-1)!}\n`;
}

/**
 * The lines for every interrupted or paused rollout in the journal, but `except` (the one the
 * command names). An unreadable journal gives none: the command that needs it says so itself.
 */
export function unfinishedNotice(journal: { list(): RolloutSummary[] }, except?: string): string {
  let list: RolloutSummary[];
  try {
    list = journal.list();
  } catch {
    return '';
  }
  return list
    .filter((r) => (r.state === 'interrupted' || r.state === 'paused') && r.id !== except)
    .map(unfinishedLine)
    .join('');
}
