// The EcsPort methods of cleanup (src/cleanup/) over the SDK: listing a family's revisions and a
// cluster's services, deregistering and deleting revisions. Kept apart from ecs.ts, which holds
// the deploy's calls; createEcsPort puts both together.

import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  type ECSClient,
  type Failure,
} from '@aws-sdk/client-ecs';
import { awsCall } from './errors.js';
import type { CallOptions, DeletedTaskDefinitions, EcsPort, ListTaskDefinitionsQuery } from './ports.js';

/** The methods this module implements. */
export type EcsHousekeeping = Pick<
  EcsPort,
  'listTaskDefinitions' | 'listServices' | 'deregisterTaskDefinition' | 'deleteTaskDefinitions'
>;

/**
 * API limits (docs/ecs-behaviour.md, "API limits"): DeleteTaskDefinitions takes at most 10
 * revisions; the list calls page by nextToken, 100 per page at most.
 */
export const DELETE_TASK_DEFINITIONS_BATCH = 10;
const LIST_PAGE_SIZE = 100;
/** 10,000 revisions or services: a bound on a listing, so a runaway paginator cannot hold the step. */
const MAX_LIST_PAGES = 100;

export function createEcsHousekeeping(ecs: ECSClient): EcsHousekeeping {
  return {
    async listTaskDefinitions(query: ListTaskDefinitionsQuery, options: CallOptions = {}) {
      return listAll('ListTaskDefinitions', async (nextToken) => {
        const command = new ListTaskDefinitionsCommand({
          familyPrefix: query.family,
          status: query.status ?? 'ACTIVE',
          sort: query.sort ?? 'ASC',
          maxResults: LIST_PAGE_SIZE,
          nextToken,
        });
        const out = await ecs.send(command, sendOptions(options));
        return { items: out.taskDefinitionArns ?? [], nextToken: out.nextToken };
      });
    },

    async listServices(cluster: string, options: CallOptions = {}) {
      return listAll('ListServices', async (nextToken) => {
        const command = new ListServicesCommand({ cluster, maxResults: LIST_PAGE_SIZE, nextToken });
        const out = await ecs.send(command, sendOptions(options));
        return { items: out.serviceArns ?? [], nextToken: out.nextToken };
      });
    },

    async deregisterTaskDefinition(ref: string, options: CallOptions = {}) {
      const out = await awsCall('DeregisterTaskDefinition', () =>
        ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: ref }), sendOptions(options)),
      );
      return out.taskDefinition?.taskDefinitionArn ?? ref;
    },

    async deleteTaskDefinitions(refs: string[], options: CallOptions = {}): Promise<DeletedTaskDefinitions> {
      const deleted: string[] = [];
      const failures: Failure[] = [];
      for (let i = 0; i < refs.length; i += DELETE_TASK_DEFINITIONS_BATCH) {
        const batch = refs.slice(i, i + DELETE_TASK_DEFINITIONS_BATCH);
        const out = await awsCall('DeleteTaskDefinitions', () =>
          ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: batch }), sendOptions(options)),
        );
        for (const td of out.taskDefinitions ?? [])
          if (td.taskDefinitionArn) deleted.push(td.taskDefinitionArn);
        failures.push(...(out.failures ?? []));
      }
      return { deleted, failures };
    },
  };
}

/** Every page of a list call, up to MAX_LIST_PAGES; errors name the operation. */
async function listAll(
  operation: string,
  page: (nextToken: string | undefined) => Promise<{ items: string[]; nextToken?: string }>,
): Promise<string[]> {
  const items: string[] = [];
  let nextToken: string | undefined;
  for (let n = 0; n < MAX_LIST_PAGES; n++) {
    const out = await awsCall(operation, () => page(nextToken));
    items.push(...out.items);
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return items;
}

function sendOptions(options: CallOptions): { abortSignal?: AbortSignal } {
  return options.signal ? { abortSignal: options.signal } : {};
}
