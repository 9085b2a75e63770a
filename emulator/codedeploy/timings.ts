// How long the parts of a CodeDeploy ECS deployment take in the emulator (simulated ms). The task
// set's own start-up is the ECS model's (emulator/ecs/task-sets.ts, TASK_SET_STABLE_MS).

/** Created -> InProgress. */
export const START_MS = 10_000;
/** A lifecycle hook whose function name has no behaviour word: Succeeded after this. */
export const HOOK_MS = 10_000;
/** A hook whose function name contains `slow`. */
export const SLOW_HOOK_MS = 5 * 60_000;
/** AllowTestTraffic: the test listener is pointed at the replacement. */
export const TEST_TRAFFIC_MS = 5_000;
/** An alarm whose name contains `firing` goes into ALARM this long after the deployment starts. */
export const ALARM_AFTER_MS = 60_000;
/** Install gives up on a replacement task set that never becomes stable. */
export const INSTALL_TIMEOUT_MS = 60 * 60_000;
/** A rollback deployment moves traffic back to the original task set after this. */
export const ROLLBACK_SHIFT_MS = 5_000;
