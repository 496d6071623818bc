// The actions slice: every call that changes a daemon. Main runs each through one action path
// (main/actions) that checks the target, maps Docker's answers and writes the audit log.
import { call } from './slice';
import { ActionResult, ContainerAction, ContainerRef } from './model';

export const actionsSlice = {
  calls: {
    containerAction: call(ContainerRef.extend({ action: ContainerAction }).strict(), ActionResult),
  },
  streams: {},
};
