// What needs a task execution role (docs/ecs-behaviour.md, "Fargate task sizes", "Secrets"): ECS itself, not the
// application, fetches secrets, S3 environment files and (on Fargate) private ECR images and the
// awslogs driver's credentials with it, and RegisterTaskDefinition refuses these without one.
// Each cause is reported once, at its first use, however many containers share it.

import { isObject, type JsonPath } from '../lib/json.js';
import { isPrivateEcrImage } from './references.js';
import type { Reporter, TaskFacts } from './rules-read.js';

const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;

export function checkExecutionRole(facts: TaskFacts, r: Reporter): void {
  if (facts.hasExecutionRole) return;
  let secrets: JsonPath | undefined;
  let envFiles: JsonPath | undefined;
  let awslogs: JsonPath | undefined;
  let ecr: JsonPath | undefined;
  for (const c of facts.containers) {
    const logObject = isObject(c.def.logConfiguration) ? c.def.logConfiguration : undefined;
    if (!secrets && nonEmpty(c.def.secrets)) secrets = [...c.path, 'secrets'];
    if (!secrets && logObject && nonEmpty(logObject.secretOptions)) {
      secrets = [...c.path, 'logConfiguration', 'secretOptions'];
    }
    if (!envFiles && nonEmpty(c.def.environmentFiles)) envFiles = [...c.path, 'environmentFiles'];
    if (!awslogs && logObject?.logDriver === 'awslogs')
      awslogs = [...c.path, 'logConfiguration', 'logDriver'];
    if (!ecr && typeof c.def.image === 'string' && isPrivateEcrImage(c.def.image)) ecr = [...c.path, 'image'];
  }
  if (secrets) {
    r.error(
      secrets,
      "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'. " +
        'Set executionRoleArn to a role that can read them (ssm:GetParameters, secretsmanager:GetSecretValue).',
    );
  }
  if (envFiles) {
    r.error(
      envFiles,
      "When you are specifying container environment files, you must also specify a value for 'executionRoleArn'. " +
        'Set executionRoleArn to a role with s3:GetObject on the files and s3:GetBucketLocation on their buckets.',
    );
  }
  if (!facts.fargate) return; // On EC2 the container instance role pulls images and ships logs.
  if (awslogs) {
    r.error(
      awslogs,
      'Fargate requires task definition to have execution role ARN to support log driver awslogs. ' +
        'Set executionRoleArn to a role that can write to CloudWatch Logs (e.g. with AmazonECSTaskExecutionRolePolicy).',
    );
  }
  if (ecr) {
    r.error(
      ecr,
      'Fargate requires task definition to have execution role ARN to support ECR images. ' +
        'Set executionRoleArn to a role that can pull from ECR (e.g. with AmazonECSTaskExecutionRolePolicy).',
    );
  }
}
