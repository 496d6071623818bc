// Binds the actions slice to the action path.
import type { actionsSlice } from '../../shared/actions';
import type { ApiOf } from '../../shared/slice';
import type { ActionPath } from './actionPath';

export function bindActions(actions: ActionPath): ApiOf<typeof actionsSlice> {
  return {
    containerAction: ({ host, id, action }) => actions.containerAction({ host, container: id }, action),
  };
}
