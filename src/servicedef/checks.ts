// The checks of a service definition that need nothing but the file: known fields, the service
// name, load balancers and their target group ARNs, the network configuration, the deployment
// percentages and circuit breaker, and the counts. Pure; every problem names its line and column
// (docs/ecs-behaviour.md, "Service definitions").

import { isObject, type JsonObject, type JsonPath, type JsonValue } from '../lib/json.js';
import type { Problem } from '../lib/problems.js';
import { CREATE_FIELDS, LIMITS } from './fields.js';
import { problemAt, type ServiceDefinition } from './load.js';

/** ECS's rule for service names: up to 255 letters, numbers, hyphens and underscores. */
export const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** An ALB/NLB target group ARN. */
export const TARGET_GROUP_ARN =
  /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;

type Check = (def: ServiceDefinition, out: Problem[]) => void;

/** Every problem of the file on its own. */
export function checkServiceDefinitionFile(def: ServiceDefinition): Problem[] {
  const out: Problem[] = [];
  for (const check of [
    checkFields,
    checkName,
    checkLoadBalancers,
    checkNetwork,
    checkDeployment,
    checkCounts,
  ]) {
    check(def, out);
  }
  return out;
}

const checkFields: Check = (def, out) => {
  for (const key of Object.keys(def.doc)) {
    if (CREATE_FIELDS.has(key)) continue;
    out.push(
      problemAt(def, [key], `'${key}' is not a field of CreateService; remove it or check its spelling.`, {
        atKey: true,
      }),
    );
  }
  if (def.doc.launchType !== undefined && def.doc.capacityProviderStrategy !== undefined) {
    out.push(
      problemAt(
        def,
        ['launchType'],
        'Give launchType or capacityProviderStrategy, not both: ECS refuses the two together.',
      ),
    );
  }
};

const checkName: Check = (def, out) => {
  const name = def.doc.serviceName;
  if (name === undefined) {
    out.push({
      ...problemAt(
        def,
        [],
        'The service definition has no serviceName: it names the service to create or update.',
      ),
      path: undefined,
    });
  } else if (typeof name !== 'string' || !SERVICE_NAME.test(name)) {
    out.push(
      problemAt(
        def,
        ['serviceName'],
        'serviceName must be 1 to 255 letters (uppercase and lowercase), numbers, hyphens and underscores.',
      ),
    );
  }
};

const checkLoadBalancers: Check = (def, out) => {
  const list = def.doc.loadBalancers;
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    out.push(problemAt(def, ['loadBalancers'], 'loadBalancers must be a list.'));
    return;
  }
  const targetGroups = list.filter((lb) => isObject(lb) && lb.targetGroupArn !== undefined).length;
  if (targetGroups > LIMITS.targetGroups) {
    out.push(
      problemAt(
        def,
        ['loadBalancers'],
        `A service can have at most ${LIMITS.targetGroups} target groups; this one has ${targetGroups}.`,
      ),
    );
  }
  list.forEach((lb, i) => {
    const at: JsonPath = ['loadBalancers', i];
    if (!isObject(lb)) {
      out.push(
        problemAt(
          def,
          at,
          'Each load balancer must be a mapping with targetGroupArn, containerName and containerPort.',
        ),
      );
      return;
    }
    if (lb.targetGroupArn === undefined && lb.loadBalancerName === undefined) {
      out.push(
        problemAt(
          def,
          at,
          'The load balancer needs a targetGroupArn (or a loadBalancerName for a Classic Load Balancer).',
        ),
      );
    }
    if (
      lb.targetGroupArn !== undefined &&
      (typeof lb.targetGroupArn !== 'string' || !TARGET_GROUP_ARN.test(lb.targetGroupArn))
    ) {
      out.push(
        problemAt(
          def,
          [...at, 'targetGroupArn'],
          'targetGroupArn must be a target group ARN: arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<16 hex digits>.',
        ),
      );
    }
    if (typeof lb.containerName !== 'string' || lb.containerName === '') {
      out.push(
        problemAt(
          def,
          lb.containerName === undefined ? at : [...at, 'containerName'],
          'The load balancer needs a containerName: the container that receives its traffic.',
        ),
      );
    }
    if (!isPort(lb.containerPort)) {
      out.push(
        problemAt(
          def,
          lb.containerPort === undefined ? at : [...at, 'containerPort'],
          'The load balancer needs a containerPort: a whole number from 1 to 65535.',
        ),
      );
    }
  });
};

const checkNetwork: Check = (def, out) => {
  const network = def.doc.networkConfiguration;
  if (network === undefined) return;
  const vpc = isObject(network) ? network.awsvpcConfiguration : undefined;
  const at: JsonPath = ['networkConfiguration', 'awsvpcConfiguration'];
  if (!isObject(vpc)) {
    out.push(
      problemAt(
        def,
        ['networkConfiguration'],
        'networkConfiguration needs an awsvpcConfiguration with subnets.',
      ),
    );
    return;
  }
  const subnets = vpc.subnets;
  if (!Array.isArray(subnets) || subnets.length === 0) {
    out.push(
      problemAt(
        def,
        subnets === undefined ? at : [...at, 'subnets'],
        'awsvpcConfiguration needs at least one subnet.',
      ),
    );
  } else if (subnets.length > LIMITS.subnets) {
    out.push(
      problemAt(
        def,
        [...at, 'subnets'],
        `awsvpcConfiguration takes at most ${LIMITS.subnets} subnets; this one has ${subnets.length}.`,
      ),
    );
  }
  const groups = vpc.securityGroups;
  if (Array.isArray(groups) && groups.length > LIMITS.securityGroups) {
    out.push(
      problemAt(
        def,
        [...at, 'securityGroups'],
        `awsvpcConfiguration takes at most ${LIMITS.securityGroups} security groups; this one has ${groups.length}.`,
      ),
    );
  }
  if (
    vpc.assignPublicIp !== undefined &&
    vpc.assignPublicIp !== 'ENABLED' &&
    vpc.assignPublicIp !== 'DISABLED'
  ) {
    out.push(problemAt(def, [...at, 'assignPublicIp'], 'assignPublicIp must be ENABLED or DISABLED.'));
  }
};

const checkDeployment: Check = (def, out) => {
  const cfg = def.doc.deploymentConfiguration;
  if (cfg === undefined) return;
  const at: JsonPath = ['deploymentConfiguration'];
  if (!isObject(cfg)) {
    out.push(problemAt(def, at, 'deploymentConfiguration must be a mapping.'));
    return;
  }
  const min = cfg.minimumHealthyPercent;
  if (min !== undefined && !wholeIn(min, 0, 100)) {
    out.push(
      problemAt(
        def,
        [...at, 'minimumHealthyPercent'],
        'minimumHealthyPercent must be a whole number from 0 to 100.',
      ),
    );
  }
  const max = cfg.maximumPercent;
  if (max !== undefined && !wholeIn(max, 100, Number.MAX_SAFE_INTEGER)) {
    out.push(
      problemAt(
        def,
        [...at, 'maximumPercent'],
        'maximumPercent must be a whole number of at least 100: below it a rolling deployment could never run the desired count.',
      ),
    );
  }
  const breaker = cfg.deploymentCircuitBreaker;
  if (breaker === undefined) return;
  const bAt: JsonPath = [...at, 'deploymentCircuitBreaker'];
  if (!isObject(breaker)) {
    out.push(problemAt(def, bAt, 'deploymentCircuitBreaker must be a mapping with enable and rollback.'));
    return;
  }
  for (const key of ['enable', 'rollback']) {
    if (typeof breaker[key] !== 'boolean') {
      out.push(
        problemAt(
          def,
          breaker[key] === undefined ? bAt : [...bAt, key],
          `deploymentCircuitBreaker.${key} must be true or false.`,
        ),
      );
    }
  }
  checkThreshold(def, { breaker, at: bAt, out });
  if (breaker.rollback === true && breaker.enable === false) {
    out.push(
      problemAt(
        def,
        [...bAt, 'rollback'],
        'rollback has no effect while the circuit breaker is not enabled.',
        { severity: 'warning' },
      ),
    );
  }
};

const checkCounts: Check = (def, out) => {
  const { desiredCount, healthCheckGracePeriodSeconds: grace, tags } = def.doc;
  if (desiredCount !== undefined && !wholeIn(desiredCount, 0, LIMITS.desiredCount)) {
    out.push(
      problemAt(
        def,
        ['desiredCount'],
        `desiredCount must be a whole number from 0 to ${LIMITS.desiredCount} (the ECS quota of tasks per service).`,
      ),
    );
  }
  if (grace !== undefined && !wholeIn(grace, 0, LIMITS.healthCheckGracePeriodSeconds)) {
    out.push(
      problemAt(
        def,
        ['healthCheckGracePeriodSeconds'],
        `healthCheckGracePeriodSeconds must be a whole number from 0 to ${LIMITS.healthCheckGracePeriodSeconds}.`,
      ),
    );
  }
  if (tags !== undefined) checkTags(def, tags, out);
};

function checkTags(def: ServiceDefinition, tags: JsonValue, out: Problem[]): void {
  if (!Array.isArray(tags)) {
    out.push(problemAt(def, ['tags'], 'tags must be a list of {key, value}.'));
    return;
  }
  if (tags.length > LIMITS.tags)
    out.push(problemAt(def, ['tags'], `A service takes at most ${LIMITS.tags} tags.`));
  tags.forEach((tag, i) => {
    if (!isObject(tag) || typeof tag.key !== 'string' || tag.key === '') {
      out.push(problemAt(def, ['tags', i], 'Each tag needs a key (and a value).'));
    } else if (tag.key.toLowerCase().startsWith('aws:')) {
      out.push(problemAt(def, ['tags', i, 'key'], 'Tag keys starting with aws: are reserved for AWS.'));
    }
  });
}

export function isPort(value: JsonValue | undefined): value is number {
  return wholeIn(value, 1, 65535);
}

function wholeIn(value: JsonValue | undefined, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** The object at `key` of `doc`, when it is one. */
export function objectAt(doc: JsonObject, key: string): JsonObject | undefined {
  const value = doc[key];
  return isObject(value) ? value : undefined;
}

const THRESHOLD_TYPES = ['BOUNDED_PERCENT', 'UNBOUNDED_PERCENT', 'COUNT'];

/**
 * The breaker's failure threshold (docs/ecs-behaviour.md, "Failure threshold"): a type ECS knows,
 * and a value of at least 1, at most 100 for the percentages.
 */
function checkThreshold(
  def: ServiceDefinition,
  where: { breaker: JsonObject; at: JsonPath; out: Problem[] },
): void {
  const tc = where.breaker.thresholdConfiguration;
  if (tc === undefined) return;
  const at: JsonPath = [...where.at, 'thresholdConfiguration'];
  if (!isObject(tc) || !THRESHOLD_TYPES.includes(String(tc.type))) {
    where.out.push(problemAt(def, at, `thresholdConfiguration.type must be ${THRESHOLD_TYPES.join(', ')}.`));
    return;
  }
  const value = tc.value;
  const max = tc.type === 'COUNT' ? Infinity : 100;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    const range = max === Infinity ? 'a whole number from 1' : 'a whole number from 1 to 100';
    where.out.push(
      problemAt(
        def,
        [...at, 'value'],
        `thresholdConfiguration.value must be ${range} for ${String(tc.type)}.`,
      ),
    );
  }
}
