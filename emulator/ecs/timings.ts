// Simulated durations of the ECS model, in one place so the README, the tests and the demo agree.
// They are shorter than real ECS where waiting teaches nothing (retries, stop grace), and equal to
// the documented values where the action's logic depends on them (the 40 s no-health-check grace).

/** The service scheduler reacts to a change (UpdateService, a task stopping) after this delay. */
export const SCHEDULER_DELAY_MS = 1_000;
/** PROVISIONING -> PENDING (ENI attached, capacity found). */
export const PROVISION_MS = 2_000;
/** PENDING (image pull) -> RUNNING for an ordinary image: uniform in [min, max]. */
export const PULL_MIN_MS = 5_000;
export const PULL_MAX_MS = 10_000;
/** `:slow` images take this long to pull and start. */
export const SLOW_START_MS = 180_000;
/** `:pull-error` images give up after the agent's retries ("retried 5 time(s)"): uniform in [min, max]. */
export const PULL_ERROR_MIN_MS = 10_000;
export const PULL_ERROR_MAX_MS = 15_000;
/**
 * Without a container health check the scheduler counts a RUNNING task as healthy after 40 s
 * (ECS Developer Guide, deployment-type-ecs). With one, after startPeriod + interval.
 */
export const NO_HEALTHCHECK_GRACE_MS = 40_000;
/** Docker health check defaults (seconds) used when a container has a healthCheck without them. */
export const HC_DEFAULT_INTERVAL_S = 30;
export const HC_DEFAULT_RETRIES = 3;
export const HC_DEFAULT_START_PERIOD_S = 0;
/** `:crash`: the essential container exits this long after RUNNING (before it could be healthy). */
export const CRASH_AFTER_MS = 10_000;
/** `:oom`: the essential container is killed this long after RUNNING. */
export const OOM_AFTER_MS = 20_000;
/** A running task asked to stop: SIGTERM, the app exits, the ENI is released. */
export const STOP_GRACE_MS = 5_000;
/** A task whose containers already exited (or never started) reaches STOPPED after this. */
export const DEPROVISION_MS = 2_000;
/**
 * Service throttle: after k consecutive failed tasks of a deployment the scheduler waits
 * min(base * 2^(k-1), max) before launching again (ECS backs off too, up to ~15 min; shorter here).
 */
export const RETRY_BASE_MS = 10_000;
export const RETRY_MAX_MS = 300_000;
/** `is unable to consistently start tasks` appears after this many consecutive failures... */
export const UNABLE_EVENT_AFTER_FAILURES = 3;
/** ...and again at most this often while they continue. */
export const UNABLE_EVENT_REPEAT_MS = 15 * 60_000;
/** Stopped tasks stay visible to DescribeTasks/ListTasks this long (ECS: at least 1 hour). */
export const STOPPED_TASK_RETENTION_MS = 60 * 60_000;
/** DescribeServices shows at most this many events, newest first. */
export const MAX_SERVICE_EVENTS = 100;
/** Replaced (INACTIVE) deployments kept per service, as rollback candidates. */
export const DEPLOYMENT_HISTORY_LIMIT = 20;

// ---- Blue/green, linear and canary deployments (traffic-shift.ts) ----

/**
 * A lifecycle stage that has no duration of its own (a hook stage, a traffic shift) lasts this
 * long, so a follower polling every few seconds sees each one. ECS gives no figure; ALB rule
 * changes take seconds, an NLB about ten minutes.
 */
export const SHIFT_STAGE_MS = 30_000;
/** An AWS_LAMBDA hook answers after one invocation of this length... */
export const LAMBDA_HOOK_MS = 5_000;
/** ...or, when its function's name contains `slow`, stays IN_PROGRESS this long first. */
export const SLOW_HOOK_MS = 5 * 60_000;
/** A deployment alarm whose name contains `firing` goes into ALARM this long after the deployment starts. */
export const ALARM_FIRES_AFTER_MS = 60_000;
