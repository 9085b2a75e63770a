// CloudWatch Logs: the container output the ECS model writes through the LogSink, read back with
// GetLogEvents / FilterLogEvents (the action shows the last lines of a failed task), and the log
// groups a task definition names (DescribeLogGroups). Groups live in an account and a region;
// another account's group is visible only when seeded `sharedWith` the caller (a linked source
// account of a monitoring account) and asked for by ARN or with `includeLinkedAccounts`.
import { parseArn, placeKey, placeOf, readableBy, type Place, type Placement } from './access.js';
import {
  AwsError,
  type EcsModelOptions,
  type LogSink,
  type RequestContext,
  type ServiceHandlers,
} from './core.js';
import { describeLogGroups, type DescribeLogGroupsInput, type LogGroupInfo } from './logs-groups.js';

export interface LogGroupSeed extends Placement {
  name: string;
  retentionInDays?: number;
}

interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

interface LogStream {
  name: string;
  created: number;
  events: LogEvent[];
}

interface LogGroup extends LogGroupInfo {
  streams: Map<string, LogStream>;
  /** Created by the ECS model's container output, which does not know `awslogs-region`. */
  fromSink?: boolean;
}

export interface LogsModel {
  handlers: ServiceHandlers;
  seed(groups: LogGroupSeed[]): void;
  /** Hand this to the ECS model: it creates groups and streams on first write. */
  sink: LogSink;
  /** All messages of a stream (for tests). */
  messages(group: string, stream: string): string[];
}

const GROUP_NOT_FOUND = 'The specified log group does not exist.';
const STREAM_NOT_FOUND = 'The specified log stream does not exist.';

export function createLogsModel(opts: Omit<EcsModelOptions, 'logSink'>): LogsModel {
  const { clock, region, accountId } = opts;
  const home: Place = { accountId, region };
  /** By placeKey(place, name). */
  const groups = new Map<string, LogGroup>();
  let eventSeq = 0;

  const ensureGroup = (name: string, place: Place = home): LogGroup => {
    let g = groups.get(placeKey(place, name));
    if (!g) {
      g = { name, place, sharedWith: [], created: clock.now(), streams: new Map() };
      groups.set(placeKey(place, name), g);
    }
    return g;
  };
  const ensureStream = (g: LogGroup, stream: string): LogStream => {
    let s = g.streams.get(stream);
    if (!s) {
      s = { name: stream, created: clock.now(), events: [] };
      g.streams.set(stream, s);
    }
    return s;
  };
  const groupOf = (input: { logGroupName?: string; logGroupIdentifier?: string }, ctx: RequestContext) => {
    // logGroupIdentifier may be a name or an ARN (`...:log-group:<name>[:*]`).
    const id = input.logGroupName ?? input.logGroupIdentifier ?? '';
    const arn = parseArn(id);
    const name = /:log-group:([^:]+)/.exec(id)?.[1] ?? id;
    const place = arn
      ? { accountId: arn.accountId, region: arn.region }
      : { accountId: ctx.accountId, region: ctx.region };
    // Container output reads back from whatever region the task definition's awslogs-region names.
    const sunk = groups.get(placeKey(home, name));
    const g = groups.get(placeKey(place, name)) ?? (sunk?.fromSink ? sunk : undefined);
    if (!g || !readableBy(ctx.accountId, place.accountId, g.sharedWith))
      throw new AwsError('ResourceNotFoundException', GROUP_NOT_FOUND);
    return g;
  };
  const append = (group: string, stream: string, events: { timestamp: number; message: string }[]): void => {
    const g = groups.get(placeKey(home, group)) ?? Object.assign(ensureGroup(group), { fromSink: true });
    appendTo(ensureStream(g, stream), events);
  };
  const appendTo = (s: LogStream, events: { timestamp: number; message: string }[]): void => {
    const ingestionTime = clock.now();
    for (const e of events) {
      s.events.push({ ...e, ingestionTime, eventId: String(++eventSeq).padStart(56, '0') });
    }
    // Stable sort keeps arrival order for equal timestamps, as CloudWatch does.
    s.events.sort((a, b) => a.timestamp - b.timestamp);
  };

  const inRange = (e: LogEvent, start?: number, end?: number): boolean =>
    (start === undefined || e.timestamp >= start) && (end === undefined || e.timestamp < end);

  const handlers: ServiceHandlers = {
    CreateLogGroup(input: { logGroupName?: string }, ctx: RequestContext) {
      if (!input.logGroupName)
        throw new AwsError('InvalidParameterException', 'logGroupName must be specified.');
      const place = { accountId: ctx.accountId, region: ctx.region };
      if (groups.has(placeKey(place, input.logGroupName))) {
        throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
      }
      ensureGroup(input.logGroupName, place);
      return {};
    },

    CreateLogStream(input: { logGroupName?: string; logStreamName?: string }, ctx: RequestContext) {
      const g = groupOf(input, ctx);
      if (g.streams.has(input.logStreamName ?? '')) {
        throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
      }
      ensureStream(g, input.logStreamName ?? '');
      return {};
    },

    DescribeLogGroups(input: DescribeLogGroupsInput, ctx: RequestContext) {
      return describeLogGroups([...groups.values()], input, ctx);
    },

    PutLogEvents(
      input: {
        logGroupName?: string;
        logStreamName?: string;
        logEvents?: { timestamp: number; message: string }[];
      },
      ctx: RequestContext,
    ) {
      const g = groupOf(input, ctx);
      const s = g.streams.get(input.logStreamName ?? '');
      if (!s) throw new AwsError('ResourceNotFoundException', STREAM_NOT_FOUND);
      appendTo(s, input.logEvents ?? []);
      return {};
    },

    DescribeLogStreams(input: { logGroupName?: string; logStreamNamePrefix?: string }, ctx: RequestContext) {
      const g = groupOf(input, ctx);
      const streams = [...g.streams.values()]
        .filter((s) => s.name.startsWith(input.logStreamNamePrefix ?? ''))
        .map((s) => ({
          logStreamName: s.name,
          creationTime: s.created,
          ...(s.events.length
            ? {
                firstEventTimestamp: s.events[0]!.timestamp,
                lastEventTimestamp: s.events[s.events.length - 1]!.timestamp,
                lastIngestionTime: s.events[s.events.length - 1]!.ingestionTime,
              }
            : {}),
          arn: `arn:aws:logs:${g.place.region}:${g.place.accountId}:log-group:${g.name}:log-stream:${s.name}`,
        }));
      return { logStreams: streams };
    },

    GetLogEvents(
      input: {
        logGroupName?: string;
        logGroupIdentifier?: string;
        logStreamName?: string;
        startTime?: number;
        endTime?: number;
        startFromHead?: boolean;
        limit?: number;
        nextToken?: string;
      },
      ctx: RequestContext,
    ) {
      const stream = groupOf(input, ctx).streams.get(input.logStreamName ?? '');
      if (!stream) throw new AwsError('ResourceNotFoundException', STREAM_NOT_FOUND);
      const events = stream.events.filter((e) => inRange(e, input.startTime, input.endTime));
      const limit = Math.min(input.limit ?? 10000, 10000);
      // Tokens are positions in the filtered list: `f/<i>` reads forward from i, `b/<i>` backward
      // to i. At the end the forward token repeats, which is how SDK paginators know to stop.
      const token = /^([fb])\/(\d+)$/.exec(input.nextToken ?? '');
      if (input.nextToken && !token)
        throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
      let from: number;
      let to: number;
      if (token?.[1] === 'f' || (!token && input.startFromHead)) {
        from = token ? Math.min(Number(token[2]), events.length) : 0;
        to = Math.min(from + limit, events.length);
      } else {
        to = token ? Math.min(Number(token[2]), events.length) : events.length;
        from = Math.max(0, to - limit);
      }
      return {
        events: events
          .slice(from, to)
          .map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
        nextForwardToken: `f/${String(to).padStart(56, '0')}`,
        nextBackwardToken: `b/${String(from).padStart(56, '0')}`,
      };
    },

    FilterLogEvents(
      input: {
        logGroupName?: string;
        logGroupIdentifier?: string;
        logStreamNames?: string[];
        logStreamNamePrefix?: string;
        startTime?: number;
        endTime?: number;
        filterPattern?: string;
        limit?: number;
        nextToken?: string;
      },
      ctx: RequestContext,
    ) {
      const g = groupOf(input, ctx);
      const match = compilePattern(input.filterPattern ?? '');
      const streams = [...g.streams.values()].filter(
        (s) =>
          (!input.logStreamNames?.length || input.logStreamNames.includes(s.name)) &&
          s.name.startsWith(input.logStreamNamePrefix ?? ''),
      );
      const all = streams
        .flatMap((s) => s.events.map((e) => ({ ...e, logStreamName: s.name })))
        .filter((e) => inRange(e, input.startTime, input.endTime) && match(e.message))
        .sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
      const start = input.nextToken ? Number(input.nextToken) : 0;
      if (!Number.isInteger(start) || start < 0)
        throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
      const limit = Math.min(input.limit ?? 10000, 10000);
      const page = all.slice(start, start + limit);
      return {
        events: page.map((e) => ({
          logStreamName: e.logStreamName,
          timestamp: e.timestamp,
          message: e.message,
          ingestionTime: e.ingestionTime,
          eventId: e.eventId,
        })),
        searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
        ...(start + limit < all.length ? { nextToken: String(start + limit) } : {}),
      };
    },
  };

  return {
    handlers,
    sink: append,
    seed(seeds) {
      for (const s of seeds) {
        const g = ensureGroup(s.name, placeOf(s, home, `log group ${s.name}`));
        g.sharedWith = (s.sharedWith ?? []).map(String);
        if (s.retentionInDays !== undefined) g.retentionInDays = s.retentionInDays;
      }
    },
    messages(group, stream) {
      return (
        groups
          .get(placeKey(home, group))
          ?.streams.get(stream)
          ?.events.map((e) => e.message) ?? []
      );
    },
  };
}

/**
 * The text subset of CloudWatch filter patterns: terms that must all appear (`ERROR timeout`),
 * quoted phrases (`"connection refused"`), `-term` to exclude, `?a ?b` for any-of. Case-sensitive,
 * like CloudWatch. JSON and space-delimited patterns are not modelled.
 */
export function compilePattern(pattern: string): (message: string) => boolean {
  const trimmed = pattern.trim();
  if (trimmed === '') return () => true;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    throw new AwsError(
      'InvalidParameterException',
      `This emulator supports only text filter patterns, not: ${trimmed}`,
    );
  }
  const terms = [...trimmed.matchAll(/([?-]?)(?:"([^"]*)"|(\S+))/g)].map((m) => ({
    op: m[1],
    text: m[2] ?? m[3] ?? '',
  }));
  const anyOf = terms.filter((t) => t.op === '?');
  return (message) =>
    terms.every((t) =>
      t.op === '-' ? !message.includes(t.text) : t.op === '?' || message.includes(t.text),
    ) &&
    (anyOf.length === 0 || anyOf.some((t) => message.includes(t.text)));
}
