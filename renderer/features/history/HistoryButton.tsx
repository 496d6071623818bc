// The Rollouts list's "History" button: the selected rollout's service's history, else the newest
// rollout's service's (a rollout of listed containers has none). Hidden while no rollout names a service.
import type { RolloutSummary } from '../../../shared/rollout';
import { showHistory } from './historyView';

export function HistoryButton({ selected, rows }: { selected: RolloutSummary | undefined; rows: readonly RolloutSummary[] }) {
  const service = selected?.service ?? rows.find((r) => r.service !== undefined)?.service;
  if (service === undefined) return null;
  return (
    <button type="button" className="btn btn-small" title={`Past rollouts and recorded revisions of ${service}`} onClick={() => showHistory(service)}>
      History of {service}
    </button>
  );
}
