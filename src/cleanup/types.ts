// What a cleanup of old revisions decided and did: the revisions kept and why, the ones
// deregistered (and deleted), and what failed, for the summary, the log and the outputs.

/** A service that uses a revision, by the service's name. */
export interface RevisionUse {
  service: string;
  taskDefinitionArn: string;
}

/** Why a revision was kept; a revision may have several reasons. */
export type KeepReason =
  /** Among the newest `keep` ACTIVE revisions (rank 1 is the newest). */
  | { kind: 'newest'; rank: number }
  /** The revision this step deployed (registered, or an identical one reused). */
  | { kind: 'deployed' }
  /** A service of the cluster runs it: its current revision or one of its deployments'. */
  | { kind: 'running'; services: string[] }
  /** The revision a step service ran before this step: its rollback target. */
  | { kind: 'previous'; services: string[] };

export interface KeptRevision {
  arn: string;
  reasons: KeepReason[];
}

/** One thing that failed: the IAM action it needed, and the error. */
export interface CleanupFailure {
  /** The revision, when the failure is about one. */
  arn?: string;
  /** `ecs:DeregisterTaskDefinition`, `ecs:DeleteTaskDefinitions`, `ecs:ListServices`, ... */
  iamAction: string;
  message: string;
}

export interface CleanupReport {
  family: string;
  /** keep-revisions. */
  keep: number;
  dryRun: boolean;
  deleteDeregistered: boolean;
  /** A dry run that would register a new revision: it is counted among the newest `keep`. */
  wouldRegister: boolean;
  /** False when the revisions or the services could not be listed: then nothing is planned or done. */
  planned: boolean;
  /** Kept, newest first. */
  kept: KeptRevision[];
  /** Deregistered, oldest first (in a dry run: what would be). */
  deregistered: string[];
  /** Deleted, i.e. now DELETE_IN_PROGRESS (in a dry run: what would be). */
  deleted: string[];
  failures: CleanupFailure[];
  /** Planned but not done: the step was cancelled or the cleanup reached its deadline. */
  notDone: string[];
  stopped?: 'cancelled' | 'deadline';
}
