// The GitHub port (src/github/port.ts) faked: every call recorded in order, ids handed out from 1,
// and a refusal scripted per operation, so a test reads what the step asked GitHub for.
import {
  GitHubCallError,
  type CreateDeploymentInput,
  type CreateStatusInput,
  type GitHubPort,
  type GitHubPortFactory,
} from '../../src/github/port.js';

export type GitHubCall =
  | { operation: 'createDeployment'; input: CreateDeploymentInput }
  | { operation: 'createDeploymentStatus'; input: CreateStatusInput };

export class FakeGitHub implements GitHubPort {
  readonly calls: GitHubCall[] = [];
  /** What the factory was asked for, per port made. */
  readonly made: { token: string; apiUrl?: string }[] = [];
  /** Refuse this operation (or every one) with this HTTP status. */
  refuse?: { operation?: GitHubCall['operation']; status: number; message?: string };
  private nextId = 1;

  /** The factory a StepContext takes. */
  readonly factory: GitHubPortFactory = (options) => {
    this.made.push(options);
    return this;
  };

  async createDeployment(input: CreateDeploymentInput): Promise<{ id: number }> {
    this.calls.push({ operation: 'createDeployment', input });
    this.maybeRefuse('createDeployment');
    return { id: this.nextId++ };
  }

  async createDeploymentStatus(input: CreateStatusInput): Promise<{ id: number }> {
    this.calls.push({ operation: 'createDeploymentStatus', input });
    this.maybeRefuse('createDeploymentStatus');
    return { id: this.nextId++ };
  }

  /** The states set, in order. */
  get states(): string[] {
    return this.calls.flatMap((c) => (c.operation === 'createDeploymentStatus' ? [c.input.state] : []));
  }

  /** The statuses set, in order. */
  get statuses(): CreateStatusInput[] {
    return this.calls.flatMap((c) => (c.operation === 'createDeploymentStatus' ? [c.input] : []));
  }

  private maybeRefuse(operation: GitHubCall['operation']): void {
    const refuse = this.refuse;
    if (refuse && (refuse.operation === undefined || refuse.operation === operation)) {
      throw new GitHubCallError({
        operation,
        status: refuse.status,
        message:
          refuse.message ?? (refuse.status === 403 ? 'Resource not accessible by integration' : 'boom'),
      });
    }
  }
}
