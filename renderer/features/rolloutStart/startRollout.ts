// The one way the console starts a rollout (the action bar, the grid's menu, the palette, the
// history): a rolling restart opens its plan in the Rollouts tab at once; Deploy and Roll back ask
// first which tag or revision (startDialog.ts), then open theirs. Nothing runs before the plan's Run.
import { usePlanner, type PlanOpen } from '../../stores/planner';
import { showView } from '../stats/ViewTabs';
import { askStart } from './startDialog';
import { scopeRequest, startProblem, type StartAction, type StartTarget } from './scope';

/** Opens the plan in the Rollouts tab (the planner shows there while it is open). */
export function openPlan(request: PlanOpen): void {
  void usePlanner.getState().open(request);
  showView('rollouts');
}

export function startRollout(action: StartAction, target: StartTarget): void {
  if (startProblem(action, target) !== undefined) return;
  if (action === 'restart') openPlan({ ...scopeRequest(target), action: 'restart' });
  else askStart({ action, target });
}
