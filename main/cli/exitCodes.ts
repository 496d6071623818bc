// The CLI's exit codes, shared by every command (fleetdeck --help lists what each means per command).
/**
 * 3: some hosts or registries did not answer (listings), or the target's host or registry is unreachable.
 * 4: a rollout ended without completing (paused, failed, rolled back or aborted), as issue 11 asks.
 * 5: ip conflicts found conflicts (latent ones too), as issue 13 asks.
 */
export const EXIT = { ok: 0, error: 1, usage: 2, unreachable: 3, notCompleted: 4, conflicts: 5 } as const;
