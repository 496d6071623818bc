// "Rolling restart…", "Deploy…" and "Roll back…" for what the Containers grid has selected: a
// service (its group row: every container of it, fleet-wide) or containers. Each opens the plan
// (restart) or asks for the tag or revision first; one that cannot start says why in its title and
// stays disabled. The grid's menu (RolloutMenu.tsx) offers the same.
import type { StartAction, StartTarget } from '../rolloutStart/scope';
import { START_LABEL, startProblem, targetText } from '../rolloutStart/scope';
import { startRollout } from '../rolloutStart/startRollout';

export const START_ACTIONS: readonly StartAction[] = ['restart', 'deploy', 'rollback'];

export function RolloutButtons({ target }: { target: StartTarget }) {
  const what = targetText(target);
  return (
    <div className="ab-rollout" role="group" aria-label={`Rollout of ${what}`}>
      <span className="ab-rollout-label muted">Rollout</span>
      {START_ACTIONS.map((a) => {
        const problem = startProblem(a, target);
        return (
          <button
            key={a}
            type="button"
            className={`btn btn-small rollout-start-${a}`}
            disabled={problem !== undefined}
            title={problem ?? `${START_LABEL[a].replace('…', '')} ${what}: plan it first, nothing runs before Run`}
            onClick={() => startRollout(a, target)}
          >
            {START_LABEL[a]}
          </button>
        );
      })}
    </div>
  );
}
