// The awslogs lines of a one-off task's containers, followed while it runs: each stream read
// forward with its nextForwardToken (startFromHead, as GetLogEvents requires with a forward
// token), new lines handed to the caller, the last ones kept for the summary. Within the Logs
// API quotas (GetLogEvents: 10 requests per second per account and Region, Amazon CloudWatch
// Logs quotas): at most MAX_CALLS_PER_POLL calls per poll, and polls are at least a second apart.

import type { CallOptions, LogsPort } from '../aws/ports.js';
import { AwsCallError } from '../aws/errors.js';
import { isObject, type JsonObject } from '../lib/json.js';
import type { TaskLogTail } from './types.js';

export const MAX_CALLS_PER_POLL = 8;
/** Pages read from one stream in one poll; the rest waits for the next poll. */
const MAX_PAGES_PER_STREAM = 3;
/** Lines kept per container for the summary. */
export const TAIL_LINES = 30;

interface StreamSource {
  container: string;
  group: string;
  prefix: string;
  region?: string;
}

interface StreamState {
  taskId: string;
  container: string;
  group: string;
  stream: string;
  region?: string;
  token?: string;
  tail: string[];
}

/** The awslogs containers of the definition that have a stream prefix (without one, ECS names no stream we can find). */
export function awslogsSources(td: JsonObject): StreamSource[] {
  const defs = Array.isArray(td.containerDefinitions) ? td.containerDefinitions.filter(isObject) : [];
  return defs.flatMap((c) => {
    const log = isObject(c.logConfiguration) ? c.logConfiguration : undefined;
    const options = isObject(log?.options) ? log.options : {};
    const group = options['awslogs-group'];
    const prefix = options['awslogs-stream-prefix'];
    if (log?.logDriver !== 'awslogs' || typeof group !== 'string' || typeof prefix !== 'string') return [];
    const region = options['awslogs-region'];
    return [{ container: String(c.name), group, prefix, ...(typeof region === 'string' ? { region } : {}) }];
  });
}

export interface NewLines {
  taskId: string;
  lines: { container: string; line: string }[];
}

export class TaskLogFollower {
  private readonly streams: StreamState[];
  private disabled = false;

  constructor(
    private readonly logs: LogsPort,
    sources: StreamSource[],
    taskIds: string[],
    private readonly warn: (line: string) => void,
  ) {
    this.streams = taskIds.flatMap((taskId) =>
      sources.map((s) => ({
        taskId,
        container: s.container,
        group: s.group,
        // `<prefix>/<container>/<task id>` (awslogs log driver, Amazon ECS Developer Guide).
        stream: `${s.prefix}/${s.container}/${taskId}`,
        region: s.region,
        tail: [],
      })),
    );
  }

  /** Reads what is new in the streams of the given tasks (those that may have logged). */
  async poll(taskIds: string[], options: CallOptions = {}): Promise<NewLines[]> {
    if (this.disabled) return [];
    const found = new Map<string, NewLines>();
    let calls = 0;
    for (const s of this.streams.filter((st) => taskIds.includes(st.taskId))) {
      for (let page = 0; page < MAX_PAGES_PER_STREAM && calls < MAX_CALLS_PER_POLL; page++) {
        calls++;
        const lines = await this.read(s, options);
        if (lines === undefined || lines.length === 0) break;
        const entry = found.get(s.taskId) ?? { taskId: s.taskId, lines: [] };
        entry.lines.push(...lines.map((line) => ({ container: s.container, line })));
        found.set(s.taskId, entry);
      }
      if (this.disabled || options.signal?.aborted) break;
    }
    return [...found.values()];
  }

  /** The last lines of each stream of these containers of this task that has any. */
  tails(taskId: string, containers: string[]): TaskLogTail[] {
    return this.streams
      .filter((s) => s.taskId === taskId && containers.includes(s.container) && s.tail.length > 0)
      .map((s) => ({
        taskId,
        container: s.container,
        logGroup: s.group,
        logStream: s.stream,
        lines: [...s.tail],
      }));
  }

  /** One page; undefined when the stream gave nothing usable (missing, or an error warned about). */
  private async read(s: StreamState, options: CallOptions): Promise<string[] | undefined> {
    try {
      const page = await this.logs.getLogPage(
        { region: s.region, group: s.group, stream: s.stream, nextToken: s.token },
        options,
      );
      if (!page.exists) return undefined;
      // The same token again means nothing new for now (the end of the stream as it stands).
      const moved = page.nextForwardToken !== s.token;
      s.token = page.nextForwardToken ?? s.token;
      s.tail.push(...page.lines);
      if (s.tail.length > TAIL_LINES) s.tail.splice(0, s.tail.length - TAIL_LINES);
      return moved ? page.lines : [];
    } catch (err) {
      if (options.signal?.aborted) return undefined;
      if (err instanceof AwsCallError && err.kind === 'access-denied') {
        this.disabled = true;
        this.warn(`${err.message} The task's log lines are not shown; the verdict does not depend on them.`);
        return undefined;
      }
      this.warn(`Could not read log stream ${s.stream}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
}
