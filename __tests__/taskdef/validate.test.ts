import { describe, test, expect } from '@jest/globals';
import type { Problem } from '../../src/lib/problems.js';
import {
  fargateSizeProblem,
  parseCpuUnits,
  parseMemoryMiB,
  FARGATE_SIZES,
} from '../../src/taskdef/fargate.js';
import { formatPath, type JsonObject, type JsonPath } from '../../src/lib/json.js';
import { looksSecret } from '../../src/taskdef/rules-env.js';
import { taskDefinitionSize, validateTaskDefinition } from '../../src/taskdef/validate.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegisterTaskDefinitionRequest$, TaskDefinition$ } from '@aws-sdk/client-ecs';
import { ECS_SDK_VERSION, TASK_DEFINITION_SHAPE } from '../../src/taskdef/field-model.js';
import { editDistance, nearNames, unknownFields } from '../../src/taskdef/fields.js';
import { loadTemplate } from '../../src/taskdef/load.js';
import { MAX_NESTING } from '../../src/taskdef/nesting.js';
import { normalizeTaskDefinition, READ_ONLY_TASK_DEFINITION_FIELDS } from '../../src/lib/taskdef-shape.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'templates');
const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'templates');

const ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';
const SSM_ARN = 'arn:aws:ssm:us-east-1:123456789012:parameter/web/db-password';
const SM_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf';

const without = (obj: JsonObject, ...keys: string[]): JsonObject =>
  Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));

/** The container every Fargate case starts from; a case changes fields or leaves some out. */
const WEB: JsonObject = {
  name: 'web',
  image: `${ECR}:1.2.3`,
  essential: true,
  portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
  logConfiguration: {
    logDriver: 'awslogs',
    options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web' },
  },
};
const web = (fields: JsonObject = {}, ...omit: string[]): JsonObject => ({
  ...without(WEB, ...omit),
  ...fields,
});

const FARGATE: JsonObject = {
  family: 'web',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  executionRoleArn: ROLE,
  containerDefinitions: [WEB],
};
/** A Fargate task definition with top-level fields replaced and, if given, these containers. */
const fargate = (top: JsonObject = {}, ...containers: JsonObject[]): JsonObject => ({
  ...FARGATE,
  ...top,
  ...(containers.length ? { containerDefinitions: containers } : {}),
});

/** An EC2 container with a public image: no execution role, task size or awslogs needed. */
const app = (name: string, fields: JsonObject = {}): JsonObject => ({
  name,
  image: `public.ecr.aws/docker/library/${name}:1`,
  memory: 256,
  ...fields,
});
const ec2 = (top: JsonObject, ...containers: JsonObject[]): JsonObject => ({
  family: 'app',
  requiresCompatibilities: ['EC2'],
  networkMode: 'bridge',
  containerDefinitions: containers.length ? containers : [app('app')],
  ...top,
});

const err = (path: string | undefined, message: string): Problem =>
  path === undefined ? { severity: 'error', message } : { severity: 'error', path, message };
const warn = (path: string, message: string): Problem => ({ severity: 'warning', path, message });

const many = (n: number, make: (i: number) => JsonObject): JsonObject[] =>
  Array.from({ length: n }, (_, i) => make(i));
const HEALTH = { command: ['CMD-SHELL', 'pg_isready || exit 1'], interval: 10, timeout: 5, retries: 3 };
const BIG_ENV = many(1200, (i) => ({ name: `SETTING_${i}`, value: 'x'.repeat(40) }));
const bigTd = fargate({}, web({ environment: BIG_ENV }));

const C0 = 'containerDefinitions[0]';
const C1 = 'containerDefinitions[1]';

interface Case {
  title: string;
  td: JsonObject;
  /** Every problem the definition produces, exactly. */
  expected: Problem[];
}

const BAD: Case[] = [
  // ---- task level
  {
    title: 'family missing',
    td: without(FARGATE, 'family'),
    expected: [
      err(
        'family',
        'family is required: give the task definition family name (letters, digits, _ and -, up to 255).',
      ),
    ],
  },
  {
    title: 'family with a space',
    td: fargate({ family: 'my app' }),
    expected: [
      err(
        'family',
        "family 'my app' is not valid: use 1 to 255 letters, digits, underscores (_) and hyphens (-).",
      ),
    ],
  },
  {
    title: 'family of the wrong type',
    td: fargate({ family: 42 }),
    expected: [err('family', 'family must be a string, not a number; put the value in quotes.')],
  },
  {
    title: 'containerDefinitions not an array',
    td: fargate({ containerDefinitions: { name: 'web' } }),
    expected: [err('containerDefinitions', 'containerDefinitions must be an array, not an object.')],
  },
  {
    title: 'containerDefinitions empty',
    td: fargate({ containerDefinitions: [] }),
    expected: [
      err(
        'containerDefinitions',
        'containerDefinitions is empty: a task definition needs at least one container.',
      ),
    ],
  },
  {
    title: 'a container definition that is not an object',
    td: fargate({ containerDefinitions: ['web'] }),
    expected: [err(C0, 'containerDefinitions[0] must be an object, not a string.')],
  },
  {
    title: 'eleven containers',
    td: ec2({}, ...many(11, (i) => app(`c${i}`))),
    expected: [
      err(
        'containerDefinitions',
        'The task definition has 11 containers; ECS allows at most 10 (a fixed quota). Split them over several task definitions or services.',
      ),
    ],
  },
  {
    title: 'unknown compatibility',
    td: ec2({ requiresCompatibilities: ['FARGET'] }),
    expected: [
      err(
        'requiresCompatibilities[0]',
        "requiresCompatibilities value 'FARGET' is not valid: use EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES.",
      ),
    ],
  },
  {
    title: 'unknown network mode',
    td: ec2({ networkMode: 'vpc' }),
    expected: [err('networkMode', "networkMode 'vpc' is not valid: use awsvpc, bridge, host or none.")],
  },
  {
    title: 'Fargate with bridge',
    td: fargate({ networkMode: 'bridge' }),
    expected: [
      err(
        'networkMode',
        `Fargate only supports network mode 'awsvpc'. Set networkMode to "awsvpc" (it is 'bridge').`,
      ),
    ],
  },
  {
    title: 'Fargate with networkMode omitted',
    td: without(FARGATE, 'networkMode'),
    expected: [
      err(
        'networkMode',
        `Fargate only supports network mode 'awsvpc'. Set networkMode to "awsvpc" (it is not set).`,
      ),
    ],
  },
  {
    title: 'Fargate without task cpu',
    td: without(FARGATE, 'cpu'),
    expected: [
      err(
        'cpu',
        `Fargate requires that 'cpu' be defined at the task level. Set cpu, e.g. "256" (.25 vCPU) or "1024" (1 vCPU).`,
      ),
    ],
  },
  {
    title: 'Fargate without task memory',
    td: without(fargate({ cpu: '1024' }), 'memory'),
    expected: [
      err(
        'memory',
        "Fargate requires that 'memory' be defined at the task level. Set memory in MiB; with cpu 1024 use 2048 to 8192 in steps of 1024.",
      ),
    ],
  },
  {
    title: 'Fargate cpu 1024 with memory 1024',
    td: fargate({ cpu: '1024', memory: '1024' }),
    expected: [
      err(
        'memory',
        'Fargate does not support cpu 1024 with memory 1024 MiB; with cpu 1024 use memory 2048 to 8192 in steps of 1024. Memory 1024 MiB fits cpu 256 or 512.',
      ),
    ],
  },
  {
    title: 'Fargate cpu that is not in the table',
    td: fargate({ cpu: '300' }),
    expected: [
      err(
        'cpu',
        'Fargate does not support cpu 300; use 256, 512, 1024, 2048, 4096, 8192 or 16384 (.25, .5, 1, 2, 4, 8 or 16 vCPU).',
      ),
    ],
  },
  {
    title: 'Fargate 16 vCPU with 8 GB',
    td: fargate({ cpu: '16 vCPU', memory: '8 GB' }),
    expected: [
      err(
        'memory',
        'Fargate does not support cpu 16384 with memory 8192 MiB; with cpu 16384 use memory 32768 to 122880 in steps of 8192. Memory 8192 MiB fits cpu 1024, 2048 or 4096.',
      ),
    ],
  },
  {
    title: 'task cpu as a JSON number',
    td: fargate({ cpu: 256 }),
    expected: [err('cpu', 'cpu must be a string, not a number; put the value in quotes.')],
  },
  {
    title: 'task memory in an unknown unit',
    td: fargate({ memory: '2 GiB' }),
    expected: [err('memory', `memory '2 GiB' is not valid: give MiB such as "2048" or GB such as "2 GB".`)],
  },
  {
    title: 'EC2 task cpu below the minimum',
    td: ec2({ cpu: '64' }),
    expected: [err('cpu', 'Task cpu 64 is out of range: ECS accepts 128 to 196608 CPU units.')],
  },
  {
    title: 'execution role given as a name',
    td: fargate({ executionRoleArn: 'ecsTaskExecutionRole' }),
    expected: [
      err(
        'executionRoleArn',
        "executionRoleArn 'ecsTaskExecutionRole' is not an IAM role ARN: use arn:aws:iam::<account>:role/<name>.",
      ),
    ],
  },
  {
    title: 'Fargate with awslogs and an ECR image but no execution role',
    td: without(FARGATE, 'executionRoleArn'),
    expected: [
      err(
        `${C0}.logConfiguration.logDriver`,
        'Fargate requires task definition to have execution role ARN to support log driver awslogs. Set executionRoleArn to a role that can write to CloudWatch Logs (e.g. with AmazonECSTaskExecutionRolePolicy).',
      ),
      err(
        `${C0}.image`,
        'Fargate requires task definition to have execution role ARN to support ECR images. Set executionRoleArn to a role that can pull from ECR (e.g. with AmazonECSTaskExecutionRolePolicy).',
      ),
    ],
  },
  {
    title: 'secrets without an execution role',
    td: ec2({}, app('app', { secrets: [{ name: 'DB_PASSWORD', valueFrom: SSM_ARN }] })),
    expected: [
      err(
        `${C0}.secrets`,
        "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'. Set executionRoleArn to a role that can read them (ssm:GetParameters, secretsmanager:GetSecretValue).",
      ),
    ],
  },
  {
    title: 'log secretOptions without an execution role',
    td: ec2(
      {},
      app('app', {
        logConfiguration: {
          logDriver: 'splunk',
          secretOptions: [{ name: 'splunk-token', valueFrom: SM_ARN }],
        },
      }),
    ),
    expected: [
      err(
        `${C0}.logConfiguration.secretOptions`,
        "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'. Set executionRoleArn to a role that can read them (ssm:GetParameters, secretsmanager:GetSecretValue).",
      ),
    ],
  },
  {
    title: 'environment files without an execution role',
    td: ec2({}, app('app', { environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::my-config/app.env' }] })),
    expected: [
      err(
        `${C0}.environmentFiles`,
        "When you are specifying container environment files, you must also specify a value for 'executionRoleArn'. Set executionRoleArn to a role with s3:GetObject on the files and s3:GetBucketLocation on their buckets.",
      ),
    ],
  },
  {
    title: 'larger than 64 KiB',
    td: bigTd,
    expected: [
      err(
        undefined,
        `The task definition is ${taskDefinitionSize(bigTd)} bytes of JSON; ECS accepts at most 65536 bytes (64 KiB). Move large values out of it, e.g. environment variables into an S3 environment file.`,
      ),
    ],
  },
  {
    title: 'more than 50 tags',
    td: fargate({ tags: many(51, (i) => ({ key: `k${i}`, value: 'v' })) }),
    expected: [err('tags', 'The task definition has 51 tags; ECS allows at most 50.')],
  },
  {
    title: 'tag key with the aws: prefix',
    td: fargate({ tags: [{ key: 'aws:owner', value: 'me' }] }),
    expected: [
      err('tags[0].key', "Tag key 'aws:owner' uses the reserved prefix 'aws:'; choose a key without it."),
    ],
  },
  {
    title: 'tag key too long',
    td: fargate({ tags: [{ key: 'k'.repeat(129), value: 'v' }] }),
    expected: [err('tags[0].key', `Tag key '${'k'.repeat(129)}' has 129 characters; use 1 to 128.`)],
  },
  {
    title: 'tag value too long',
    td: fargate({ tags: [{ key: 'team', value: 'v'.repeat(257) }] }),
    expected: [err('tags[0].value', "The value of tag 'team' has 257 characters; ECS allows at most 256.")],
  },
  {
    title: 'ephemeral storage too small',
    td: fargate({ ephemeralStorage: { sizeInGiB: 10 } }),
    expected: [
      err('ephemeralStorage.sizeInGiB', 'ephemeralStorage.sizeInGiB 10 is out of range: use 21 to 200 GiB.'),
    ],
  },

  // ---- containers
  {
    title: 'container without a name',
    td: fargate({}, web({}, 'name')),
    expected: [
      err(
        `${C0}.name`,
        'Container containerDefinitions[0] has no name: set name (letters, digits, _ and -, up to 255).',
      ),
    ],
  },
  {
    title: 'container name with a space',
    td: fargate({}, web({ name: 'my web' })),
    expected: [
      err(
        `${C0}.name`,
        "Container name 'my web' is not valid: use 1 to 255 letters, digits, underscores (_) and hyphens (-).",
      ),
    ],
  },
  {
    title: 'two containers with one name',
    td: ec2({}, app('app'), app('app', { essential: false })),
    expected: [
      err(
        `${C1}.name`,
        "Container name 'app' is also used by containerDefinitions[0]; each container needs a unique name.",
      ),
    ],
  },
  {
    title: 'container without an image',
    td: fargate({}, web({}, 'image')),
    expected: [
      err(
        `${C0}.image`,
        `Container 'web' has no image: set image, e.g. "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.2.3".`,
      ),
    ],
  },
  {
    title: 'image with a short digest',
    td: ec2({}, app('app', { image: 'nginx@sha256:abc' })),
    expected: [
      err(
        `${C0}.image`,
        "Container 'app' image 'nginx@sha256:abc' is not a valid image reference: the digest after '@' must be 'sha256:' followed by 64 lowercase hex characters.",
      ),
    ],
  },
  {
    title: 'image longer than 255 characters',
    td: ec2({}, app('app', { image: `registry.example.com/${'a'.repeat(240)}:1` })),
    expected: [
      err(
        `${C0}.image`,
        `Container 'app' image 'registry.example.com/${'a'.repeat(240)}:1' is not a valid image reference: it is 263 characters long; ECS allows at most 255.`,
      ),
    ],
  },
  {
    title: 'image with a space',
    td: ec2({}, app('app', { image: 'my image:1' })),
    expected: [
      err(
        `${C0}.image`,
        "Container 'app' image 'my image:1' is not a valid image reference: it contains whitespace.",
      ),
    ],
  },
  {
    title: 'image with an empty tag (an empty placeholder)',
    td: ec2({}, app('app', { image: 'nginx:' })),
    expected: [
      err(
        `${C0}.image`,
        "Container 'app' image 'nginx:' is not a valid image reference: the tag after ':' is empty.",
      ),
    ],
  },
  {
    title: 'image with upper case in the repository (Docker refuses it when the task starts)',
    td: ec2({}, app('app', { image: 'MyOrg/App:1' })),
    expected: [
      err(
        `${C0}.image`,
        "Container 'app' image 'MyOrg/App:1' is not a valid image reference: the repository part 'MyOrg' may have only lowercase letters, digits and single '.', '_' or '-' between them.",
      ),
    ],
  },
  {
    title: 'image with "#" and an empty path part',
    td: ec2({}, app('app', { image: 'repo#x:1' }), app('b', { image: 'a//b:1' })),
    expected: [
      err(
        `${C0}.image`,
        "Container 'app' image 'repo#x:1' is not a valid image reference: the repository part 'repo#x' may have only lowercase letters, digits and single '.', '_' or '-' between them.",
      ),
      err(
        'containerDefinitions[1].image',
        "Container 'b' image 'a//b:1' is not a valid image reference: the repository name has an empty part between '/'.",
      ),
    ],
  },
  {
    title: 'empty image (an empty placeholder)',
    td: ec2({}, app('app', { image: '' })),
    expected: [
      err(
        `${C0}.image`,
        "Container 'app' image is empty: give a reference such as my-repo:1.2.3 or my-repo@sha256:<digest>.",
      ),
    ],
  },
  {
    title: 'no essential container',
    td: ec2({}, app('app', { essential: false }), app('sidecar', { essential: false })),
    expected: [
      err(
        'containerDefinitions',
        'No container is essential: every task definition needs at least one essential container. essential defaults to true, so remove "essential": false from the main container.',
      ),
    ],
  },
  {
    title: 'memory not greater than memoryReservation',
    td: ec2({}, app('app', { memory: 256, memoryReservation: 512 })),
    expected: [
      err(
        `${C0}.memory`,
        "Container 'app' memory (256 MiB) must be greater than memoryReservation (512 MiB); raise memory or lower memoryReservation.",
      ),
    ],
  },
  {
    title: 'EC2 container without memory or memoryReservation',
    td: ec2({}, without(app('app'), 'memory')),
    expected: [
      err(
        C0,
        "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified. Set memory (hard limit, MiB) or memoryReservation (soft limit) on the container, or memory on the task.",
      ),
    ],
  },
  {
    title: 'container memory as a string',
    td: fargate({}, web({ memory: '512' })),
    expected: [
      err(`${C0}.memory`, 'memory must be a whole number, not a string; remove the quotes around it.'),
    ],
  },
  {
    title: 'container memory below 6 MiB',
    td: ec2({}, app('app', { memory: 4 })),
    expected: [
      err(
        `${C0}.memory`,
        "Container 'app' memory 4 MiB is less than the 6 MiB Docker reserves for a container; use at least 6.",
      ),
    ],
  },
  {
    title: 'container memory adding up to more than the task memory',
    td: fargate({}, web({ memory: 300 }), web({ name: 'sidecar', memory: 300, essential: false })),
    expected: [
      err(
        'containerDefinitions',
        "The containers' memory limits add up to 600 MiB, more than the task memory of 512 MiB; lower a container memory or raise the task memory.",
      ),
    ],
  },
  {
    title: 'container memory reservations adding up to more than the task memory',
    td: fargate(
      {},
      web({ memoryReservation: 300 }),
      web({ name: 'sidecar', memoryReservation: 300, essential: false }),
    ),
    expected: [
      err(
        'containerDefinitions',
        "The containers' memory reservations add up to 600 MiB, more than the task memory of 512 MiB; lower a container memoryReservation or raise the task memory.",
      ),
    ],
  },
  {
    title: 'container cpu adding up to more than the task cpu',
    td: fargate({}, web({ cpu: 256 }), web({ name: 'sidecar', cpu: 128, essential: false })),
    expected: [
      err(
        'containerDefinitions',
        "The containers' cpu adds up to 384 units, more than the task cpu of 256; lower a container cpu or raise the task cpu.",
      ),
    ],
  },
  {
    title: 'Fargate stopTimeout above 120',
    td: fargate({}, web({ stopTimeout: 300 })),
    expected: [
      err(
        `${C0}.stopTimeout`,
        "Container 'web' stopTimeout 300 is out of range for Fargate: use 2 to 120 seconds.",
      ),
    ],
  },
  {
    title: 'links under awsvpc',
    td: fargate({}, web({ links: ['db'] })),
    expected: [
      err(
        `${C0}.links`,
        "Container 'web' uses links, which only work with networkMode bridge (this task uses awsvpc); remove links and reach the other containers on localhost.",
      ),
    ],
  },

  // ---- ports
  {
    title: 'awsvpc hostPort different from containerPort',
    td: fargate({}, web({ portMappings: [{ containerPort: 8080, hostPort: 80 }] })),
    expected: [
      err(
        `${C0}.portMappings[0].hostPort`,
        'When networkMode=awsvpc, the host ports and container ports in port mappings must match. Remove hostPort or set it to 8080 (it is 80).',
      ),
    ],
  },
  {
    title: 'host mode hostPort different from containerPort',
    td: ec2({ networkMode: 'host' }, app('app', { portMappings: [{ containerPort: 8080, hostPort: 0 }] })),
    expected: [
      err(
        `${C0}.portMappings[0].hostPort`,
        'When networkMode=host, the host ports and container ports in port mappings must match. Remove hostPort or set it to 8080 (it is 0).',
      ),
    ],
  },
  {
    title: 'port mappings under network mode none',
    td: ec2({ networkMode: 'none' }, app('app', { portMappings: [{ containerPort: 8080 }] })),
    expected: [
      err(
        `${C0}.portMappings`,
        "Container 'app' has port mappings, but with networkMode none a container cannot have any; remove portMappings or use another network mode.",
      ),
    ],
  },
  {
    title: 'containerPort out of range',
    td: fargate({}, web({ portMappings: [{ containerPort: 70000 }] })),
    expected: [
      err(`${C0}.portMappings[0].containerPort`, 'containerPort 70000 is out of range: use 1 to 65535.'),
    ],
  },
  {
    title: 'upper-case protocol',
    td: fargate({}, web({ portMappings: [{ containerPort: 8080, protocol: 'TCP' }] })),
    expected: [
      err(`${C0}.portMappings[0].protocol`, `protocol 'TCP' is not valid: use "tcp" or "udp" (lower case).`),
    ],
  },
  {
    title: 'the same port and protocol mapped twice',
    td: fargate(
      {},
      web({ portMappings: [{ containerPort: 8080 }, { containerPort: 8080, protocol: 'tcp' }] }),
    ),
    expected: [
      err(
        `${C0}.portMappings[1].containerPort`,
        "Container 'web' maps containerPort 8080/tcp twice (also portMappings[0]); remove one of the mappings.",
      ),
    ],
  },
  {
    title: 'the same port for tcp and udp (warning)',
    td: fargate({}, web({ portMappings: [{ containerPort: 53 }, { containerPort: 53, protocol: 'udp' }] })),
    expected: [
      warn(
        `${C0}.portMappings[1].containerPort`,
        "Container 'web' maps containerPort 53 for both tcp and udp; the ECS documentation says a container port cannot be exposed for multiple protocols, so registration may fail.",
      ),
    ],
  },
  {
    title: 'port mapping name with upper case',
    td: fargate({}, web({ portMappings: [{ containerPort: 8080, name: 'Web' }] })),
    expected: [
      err(
        `${C0}.portMappings[0].name`,
        "Port mapping name 'Web' is not valid: use up to 64 lowercase letters, digits, _ and -, not starting with -.",
      ),
    ],
  },
  {
    title: 'unknown appProtocol',
    td: fargate({}, web({ portMappings: [{ containerPort: 8080, appProtocol: 'https' }] })),
    expected: [
      err(`${C0}.portMappings[0].appProtocol`, "appProtocol 'https' is not valid: use http, http2 or grpc."),
    ],
  },

  // ---- dependsOn
  {
    title: 'dependsOn an unknown container',
    td: ec2({}, app('app', { dependsOn: [{ containerName: 'db', condition: 'START' }] })),
    expected: [
      err(
        `${C0}.dependsOn[0].containerName`,
        "Container 'app' depends on 'db', which is not a container in this task definition (containers: app).",
      ),
    ],
  },
  {
    title: 'dependsOn itself',
    td: ec2({}, app('app', { dependsOn: [{ containerName: 'app', condition: 'START' }] })),
    expected: [
      err(
        `${C0}.dependsOn[0].containerName`,
        "Container 'app' depends on itself; remove this dependsOn entry.",
      ),
    ],
  },
  {
    title: 'unknown dependsOn condition',
    td: ec2({}, app('app', { dependsOn: [{ containerName: 'db', condition: 'READY' }] }), app('db')),
    expected: [
      err(
        `${C0}.dependsOn[0].condition`,
        "dependsOn condition 'READY' is not valid: use START, COMPLETE, SUCCESS or HEALTHY.",
      ),
    ],
  },
  {
    title: 'SUCCESS on an essential container',
    td: ec2(
      {},
      app('app', { dependsOn: [{ containerName: 'migrate', condition: 'SUCCESS' }] }),
      app('migrate'),
    ),
    expected: [
      err(
        `${C0}.dependsOn[0].condition`,
        `Container 'app' waits for 'migrate' to SUCCESS, but SUCCESS cannot be used on an essential container; set "essential": false on 'migrate', or use START or HEALTHY.`,
      ),
    ],
  },
  {
    title: 'HEALTHY on a container without a health check',
    td: ec2({}, app('app', { dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }), app('db')),
    expected: [
      err(
        `${C0}.dependsOn[0].condition`,
        "Container 'app' waits for 'db' to be HEALTHY, but 'db' has no healthCheck; add one to 'db' or use START.",
      ),
    ],
  },
  {
    title: 'containers waiting for each other',
    td: ec2(
      {},
      app('app', { dependsOn: [{ containerName: 'db', condition: 'START' }] }),
      app('db', { dependsOn: [{ containerName: 'app', condition: 'START' }] }),
    ),
    expected: [
      err(
        `${C1}.dependsOn[0].containerName`,
        'Containers wait for each other in a cycle (app -> db -> app), so none of them can start; remove one of these dependsOn entries.',
      ),
    ],
  },

  // ---- healthCheck
  {
    title: 'health check command as a string',
    td: ec2({}, app('app', { healthCheck: { command: 'curl -f http://localhost/' } })),
    expected: [
      err(
        `${C0}.healthCheck.command`,
        `Container 'app' healthCheck.command must be an array, not a string; e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"].`,
      ),
    ],
  },
  {
    title: 'health check command without CMD',
    td: ec2({}, app('app', { healthCheck: { command: ['curl', '-f', 'http://localhost/'] } })),
    expected: [
      err(
        `${C0}.healthCheck.command[0]`,
        `Container 'app' healthCheck.command must start with "CMD" or "CMD-SHELL"; e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"].`,
      ),
    ],
  },
  {
    title: 'health check command with only CMD-SHELL',
    td: ec2({}, app('app', { healthCheck: { command: ['CMD-SHELL'] } })),
    expected: [
      err(
        `${C0}.healthCheck.command`,
        `Container 'app' healthCheck.command has only "CMD-SHELL"; add the command to run after it.`,
      ),
    ],
  },
  {
    title: 'health check interval too short',
    td: ec2({}, app('app', { healthCheck: { ...HEALTH, interval: 3, timeout: 2 } })),
    expected: [
      err(
        `${C0}.healthCheck.interval`,
        "Container 'app' healthCheck.interval 3 is out of range: use 5 to 300 seconds.",
      ),
    ],
  },
  {
    title: 'health check retries zero',
    td: ec2({}, app('app', { healthCheck: { ...HEALTH, retries: 0 } })),
    expected: [
      err(`${C0}.healthCheck.retries`, "Container 'app' healthCheck.retries 0 is out of range: use 1 to 10."),
    ],
  },
  {
    title: 'health check timeout not shorter than interval (warning)',
    td: ec2({}, app('app', { healthCheck: { ...HEALTH, interval: 30, timeout: 30 } })),
    expected: [
      warn(
        `${C0}.healthCheck.timeout`,
        "Container 'app' healthCheck.timeout (30 s) is not shorter than its interval (30 s), so a hanging check delays the next one; make timeout shorter than interval.",
      ),
    ],
  },

  // ---- environment, secrets, files
  {
    title: 'environment not an array',
    td: fargate({}, web({ environment: { PORT: '8080' } })),
    expected: [err(`${C0}.environment`, 'environment must be an array, not an object.')],
  },
  {
    title: 'environment entry without a name',
    td: fargate({}, web({ environment: [{ value: '8080' }] })),
    expected: [
      err(
        `${C0}.environment[0]`,
        `Container 'web' has an environment entry without a name; give each entry a "name" and a "value".`,
      ),
    ],
  },
  {
    title: 'environment variable set twice',
    td: fargate(
      {},
      web({
        environment: [
          { name: 'PORT', value: '80' },
          { name: 'PORT', value: '8080' },
        ],
      }),
    ),
    expected: [
      err(
        `${C0}.environment[1].name`,
        "Container 'web' sets environment variable 'PORT' twice (also environment[0]); keep one.",
      ),
    ],
  },
  {
    title: 'environment value as a number',
    td: fargate({}, web({ environment: [{ name: 'PORT', value: 8080 }] })),
    expected: [
      err(`${C0}.environment[0].value`, 'value must be a string, not a number; put the value in quotes.'),
    ],
  },
  {
    title: 'plaintext secret-looking variable (warning)',
    td: fargate({}, web({ environment: [{ name: 'DB_PASSWORD', value: 'hunter2' }] })),
    expected: [
      warn(
        `${C0}.environment[0]`,
        "Environment variable 'DB_PASSWORD' looks like a secret but is set in plain text, where anyone who can describe the task definition can read it; store it in SSM Parameter Store or Secrets Manager and reference it under secrets instead.",
      ),
    ],
  },
  {
    title: 'a name in both environment and secrets',
    td: fargate(
      {},
      web({
        environment: [{ name: 'DB_HOST', value: 'db' }],
        secrets: [{ name: 'DB_HOST', valueFrom: SSM_ARN }],
      }),
    ),
    expected: [
      err(
        `${C0}.secrets[0].name`,
        "Container 'web' sets 'DB_HOST' both in environment and in secrets; define it in one place only (secrets if it is sensitive, environment otherwise).",
      ),
    ],
  },
  {
    title: 'secret defined twice',
    td: fargate(
      {},
      web({
        secrets: [
          { name: 'DB_PASSWORD', valueFrom: SSM_ARN },
          { name: 'DB_PASSWORD', valueFrom: SM_ARN },
        ],
      }),
    ),
    expected: [
      err(
        `${C0}.secrets[1].name`,
        "Container 'web' defines secret 'DB_PASSWORD' twice (also secrets[0]); keep one.",
      ),
    ],
  },
  {
    title: 'secret with a JSON key but no ARN',
    td: fargate({}, web({ secrets: [{ name: 'DB_USER', valueFrom: 'prod/db:username::' }] })),
    expected: [
      err(
        `${C0}.secrets[0].valueFrom`,
        "Container 'web' secret 'DB_USER' has an invalid valueFrom: 'prod/db:username::' looks like a Secrets Manager secret with a JSON key, version stage or version id, but only the full secret ARN takes those fields; ECS would read it as an SSM parameter name and fail. Use the full ARN: arn:aws:secretsmanager:<region>:<account>:secret:prod/db:username::.",
      ),
    ],
  },
  {
    title: 'secret without valueFrom',
    td: fargate({}, web({ secrets: [{ name: 'DB_PASSWORD' }] })),
    expected: [
      err(
        `${C0}.secrets[0]`,
        "Container 'web' secret 'DB_PASSWORD' has no valueFrom; give the SSM parameter name or ARN, or the Secrets Manager secret ARN.",
      ),
    ],
  },
  {
    title: 'log secret option with an invalid valueFrom',
    td: fargate(
      {},
      web({
        logConfiguration: {
          logDriver: 'splunk',
          secretOptions: [{ name: 'splunk-token', valueFrom: 'a/b' }],
        },
      }),
    ),
    expected: [
      err(
        `${C0}.logConfiguration.secretOptions[0].valueFrom`,
        "Container 'web' log secret option 'splunk-token' has an invalid valueFrom: 'a/b' is a hierarchical SSM parameter name without its leading slash; write /a/b.",
      ),
    ],
  },
  {
    title: 'eleven environment files',
    td: fargate(
      {},
      web({ environmentFiles: many(11, (i) => ({ type: 's3', value: `arn:aws:s3:::cfg/${i}.env` })) }),
    ),
    expected: [
      err(
        `${C0}.environmentFiles`,
        "Container 'web' has 11 environment files; ECS allows at most 10 per container. Merge some of them.",
      ),
    ],
  },
  {
    title: 'environment file type in upper case',
    td: fargate({}, web({ environmentFiles: [{ type: 'S3', value: 'arn:aws:s3:::cfg/app.env' }] })),
    expected: [
      err(
        `${C0}.environmentFiles[0].type`,
        `Environment file type 'S3' is not valid: use "s3", the only type ECS supports.`,
      ),
    ],
  },
  {
    title: 'environment file without .env',
    td: fargate({}, web({ environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::cfg/app.txt' }] })),
    expected: [
      err(
        `${C0}.environmentFiles[0].value`,
        "Container 'web' environment file is not valid: 'arn:aws:s3:::cfg/app.txt' does not end in .env; ECS only accepts environment files with a .env extension (arn:aws:s3:::<bucket>/<key>.env).",
      ),
    ],
  },
  {
    title: 'environment file as an s3:// URL',
    td: fargate({}, web({ environmentFiles: [{ type: 's3', value: 's3://cfg/app.env' }] })),
    expected: [
      err(
        `${C0}.environmentFiles[0].value`,
        "Container 'web' environment file is not valid: 's3://cfg/app.env' is an S3 URL, but ECS needs the object ARN: arn:aws:s3:::cfg/app.env.",
      ),
    ],
  },
];

describe('validateTaskDefinition: bad definitions', () => {
  test('the table has at least 45 cases', () => {
    expect(BAD.length).toBeGreaterThanOrEqual(45);
  });

  test.each(BAD.map((c) => [c.title, c] as const))('%s', (_title, c) => {
    expect(validateTaskDefinition(c.td)).toEqual(c.expected);
  });
});

describe('validateTaskDefinition: collects every problem at once', () => {
  test('several unrelated problems are all reported, in rule order', () => {
    const td = fargate(
      { family: 'my app', cpu: '1024', memory: '1024' },
      web({ name: 'my web', portMappings: [{ containerPort: 8080, hostPort: 80 }] }, 'image'),
    );
    expect(validateTaskDefinition(td).map((p) => p.path)).toEqual([
      'family',
      'memory',
      `${C0}.name`,
      `${C0}.image`,
      `${C0}.portMappings[0].hostPort`,
    ]);
  });

  test('wrong types everywhere are reported, not thrown', () => {
    const td: JsonObject = {
      family: ['x'],
      requiresCompatibilities: 'FARGATE',
      networkMode: 1,
      cpu: {},
      memory: true,
      tags: 'none',
      ephemeralStorage: 21,
      containerDefinitions: [
        {
          name: 7,
          image: ['nginx'],
          essential: 'yes',
          memory: 12.5,
          portMappings: [null, 'x', { containerPort: '80', hostPort: [] }],
          environment: [1, { name: 2, value: {} }],
          secrets: 'x',
          environmentFiles: [{ type: 1, value: 2 }],
          dependsOn: [{ containerName: 3, condition: 4 }],
          healthCheck: { command: [1], interval: '30' },
          logConfiguration: 'awslogs',
        },
      ],
    };
    const problems = validateTaskDefinition(td);
    expect(problems.every((p) => p.severity === 'error' && typeof p.message === 'string')).toBe(true);
    expect(problems).toContainEqual(err('family', 'family must be a string, not an array.'));
    expect(problems).toContainEqual(
      err('networkMode', 'networkMode must be a string, not a number; put the value in quotes.'),
    );
    expect(problems).toContainEqual(err(`${C0}.memory`, 'memory must be a whole number, not 12.5.'));
    expect(problems).toContainEqual(
      err(`${C0}.portMappings[0]`, 'portMappings[0] is null; remove it or give an object.'),
    );
    expect(problems).toContainEqual(
      err(
        `${C0}.portMappings[2].containerPort`,
        'containerPort must be a whole number, not a string; remove the quotes around it.',
      ),
    );
    expect(problems).toContainEqual(
      err(
        `${C0}.healthCheck.interval`,
        'interval must be a whole number, not a string; remove the quotes around it.',
      ),
    );
    expect(problems).toContainEqual(
      err(`${C0}.logConfiguration`, 'logConfiguration must be an object, not a string.'),
    );
    expect(problems.length).toBeGreaterThanOrEqual(20);
  });

  test('a document that is not an object', () => {
    expect(validateTaskDefinition([] as unknown as JsonObject)).toEqual([
      err(undefined, 'The task definition must be a JSON object, not an array.'),
    ]);
  });

  test('no warning or message ever contains a plaintext environment value', () => {
    const value = 'S3cr3t-Value-123';
    const td = fargate(
      {},
      web({
        environment: [
          { name: 'API_KEY', value },
          { name: 'API_KEY', value },
          { name: 'GITHUB_TOKEN', value },
          { name: 'port', value: 8080 },
        ],
      }),
    );
    const problems = validateTaskDefinition(td);
    expect(problems.length).toBe(4);
    for (const p of problems) expect(p.message).not.toContain(value);
  });
});

describe('validateTaskDefinition: good definitions', () => {
  const errors = (td: JsonObject) => validateTaskDefinition(td).filter((p) => p.severity === 'error');

  test('Fargate single container', () => {
    expect(validateTaskDefinition(FARGATE)).toEqual([]);
  });

  test('EC2 bridge, several containers with dependsOn and health checks', () => {
    const td = ec2(
      {
        cpu: '1024',
        memory: '2048',
        executionRoleArn: ROLE,
        taskRoleArn: 'arn:aws:iam::123456789012:role/app',
      },
      app('app', {
        cpu: 512,
        memory: 1024,
        memoryReservation: 512,
        portMappings: [
          { containerPort: 8080, hostPort: 0 },
          { containerPort: 9090, hostPort: 9090, protocol: 'udp' },
        ],
        links: ['db'],
        dependsOn: [
          { containerName: 'db', condition: 'HEALTHY' },
          { containerName: 'migrate', condition: 'SUCCESS' },
          { containerName: 'log-router', condition: 'START' },
        ],
        healthCheck: {
          command: ['CMD', 'wget', '-q', '-O-', 'http://localhost:8080/health'],
          startPeriod: 0,
        },
        environment: [
          { name: 'PORT', value: '8080' },
          { name: 'PASSWORD_FILE', value: '/run/secrets/db' },
        ],
        secrets: [
          { name: 'DB_PASSWORD', valueFrom: SSM_ARN },
          { name: 'DB_USER', valueFrom: `${SM_ARN}:username::` },
          { name: 'API_TOKEN', valueFrom: '/web/api-token' },
        ],
        environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::my-config/app/prod.env' }],
        stopTimeout: 600,
      }),
      app('db', { memory: 512, healthCheck: HEALTH, essential: true }),
      app('migrate', {
        memory: 128,
        essential: false,
        dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }],
      }),
      app('log-router', { memoryReservation: 50, essential: false }),
    );
    expect(validateTaskDefinition(td)).toEqual([]);
  });

  test.each([
    ['8192', '16384'],
    ['8 vCPU', '60 GB'],
    ['16384', '122880'],
    ['16 vCPU', '32 GB'],
    ['.25 vCPU', '0.5 GB'],
    ['4096', '30720'],
  ])('Fargate size cpu %s memory %s', (cpu, memory) => {
    expect(validateTaskDefinition(fargate({ cpu, memory }))).toEqual([]);
  });

  test('a describe-style definition with its read-only fields already stripped', () => {
    const td: JsonObject = {
      family: 'web',
      taskRoleArn: 'arn:aws:iam::123456789012:role/web-task',
      executionRoleArn: ROLE,
      networkMode: 'awsvpc',
      containerDefinitions: [
        {
          name: 'web',
          image: `${ECR}@sha256:${'0123456789abcdef'.repeat(4)}`,
          cpu: 0,
          portMappings: [
            { containerPort: 80, hostPort: 80, protocol: 'tcp', name: 'web-80-tcp', appProtocol: 'http' },
          ],
          essential: true,
          environment: [],
          environmentFiles: [],
          mountPoints: [],
          volumesFrom: [],
          secrets: [],
          systemControls: [],
          ulimits: [],
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/web' },
            secretOptions: [],
          },
          versionConsistency: 'enabled',
        },
      ],
      volumes: [],
      placementConstraints: [],
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      ephemeralStorage: { sizeInGiB: 21 },
      enableFaultInjection: false,
      tags: [{ key: 'team', value: 'payments' }],
    };
    expect(validateTaskDefinition(td)).toEqual([]);
  });

  // This case used to expect no errors at all: the SDK's serializer dropped both fields without a
  // word. Now each unknown name is one error at its path, and nothing else is reported.
  test('unknown fields are errors at their path and are otherwise unchecked', () => {
    expect(errors(fargate({ someFutureField: { x: 1 } }, web({ futureContainerField: [1, 2] })))).toEqual([
      err(
        `${C0}.futureContainerField`,
        expect.stringMatching(
          /^'futureContainerField' is not a field of ContainerDefinition /,
        ) as unknown as string,
      ),
      err(
        'someFutureField',
        expect.stringMatching(
          /^'someFutureField' is not a field of the task definition /,
        ) as unknown as string,
      ),
    ]);
  });

  test('null optional fields count as not set', () => {
    expect(
      errors(fargate({ tags: null, ephemeralStorage: null }, web({ healthCheck: null, memory: null }))),
    ).toEqual([]);
  });
});

describe('validateTaskDefinition: positions', () => {
  // A stand-in for the loader's positionOf: only some paths are in the "file".
  const lines: Record<string, number> = {
    family: 2,
    containerDefinitions: 8,
    [C0]: 9,
    [`${C0}.portMappings[0].hostPort`]: 14,
  };
  const positionOf = (path: JsonPath) => {
    const line = lines[formatPath(path)];
    return line === undefined ? undefined : { line, column: 5 };
  };

  test('a problem carries the file, line and column of its own path', () => {
    const problems = validateTaskDefinition(fargate({ family: 'my app' }), {
      positionOf,
      file: 'taskdef.json',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'family', file: 'taskdef.json', line: 2, column: 5 });
  });

  test('a path the file does not have takes the position of its nearest ancestor', () => {
    const td = fargate({}, web({ portMappings: [{ containerPort: 8080, hostPort: 80 }] }, 'image'));
    const problems = validateTaskDefinition(td, { positionOf, file: 'taskdef.json' });
    expect(problems.map(({ path, line, column, file }) => ({ path, line, column, file }))).toEqual([
      { path: `${C0}.image`, line: 9, column: 5, file: 'taskdef.json' },
      { path: `${C0}.portMappings[0].hostPort`, line: 14, column: 5, file: 'taskdef.json' },
    ]);
  });

  test('without any position there is no file, line or column', () => {
    const problems = validateTaskDefinition(bigTd, { positionOf, file: 'taskdef.json' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toHaveProperty('line');
    expect(problems[0]).not.toHaveProperty('file');
    expect(problems[0]).not.toHaveProperty('path');
  });
});

describe('fargate sizes', () => {
  test('parses the string forms ECS accepts', () => {
    expect(parseCpuUnits('1024')).toBe(1024);
    expect(parseCpuUnits('1 vCPU')).toBe(1024);
    expect(parseCpuUnits('.25 vcpu')).toBe(256);
    expect(parseCpuUnits('0.1 vCPU')).toBeUndefined();
    expect(parseCpuUnits('1 core')).toBeUndefined();
    expect(parseMemoryMiB('2 GB')).toBe(2048);
    expect(parseMemoryMiB('0.5GB')).toBe(512);
    expect(parseMemoryMiB('512')).toBe(512);
    expect(parseMemoryMiB('2 GiB')).toBeUndefined();
    expect(parseMemoryMiB('-1')).toBeUndefined();
  });

  test('the table has every row of the reference', () => {
    expect([...FARGATE_SIZES.keys()]).toEqual([256, 512, 1024, 2048, 4096, 8192, 16384]);
    expect(FARGATE_SIZES.get(256)).toEqual([512, 1024, 2048]);
    expect(FARGATE_SIZES.get(512)).toEqual([1024, 2048, 3072, 4096]);
    expect(FARGATE_SIZES.get(4096)).toHaveLength(23);
    expect(FARGATE_SIZES.get(8192)).toEqual([
      16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440,
    ]);
    expect(FARGATE_SIZES.get(16384)?.at(-1)).toBe(122880);
    expect(FARGATE_SIZES.get(16384)).toHaveLength(12);
  });

  test('fargateSizeProblem lists the allowed memory for the cpu', () => {
    expect(fargateSizeProblem('512', '512')).toBe(
      'Fargate does not support cpu 512 with memory 512 MiB; with cpu 512 use memory 1024, 2048, 3072 or 4096. Memory 512 MiB fits cpu 256.',
    );
    expect(fargateSizeProblem('256', '4096')).toBe(
      'Fargate does not support cpu 256 with memory 4096 MiB; with cpu 256 use memory 512, 1024 or 2048. Memory 4096 MiB fits cpu 512, 1024 or 2048.',
    );
    expect(fargateSizeProblem('8 vCPU', '18 GB')).toBe(
      'Fargate does not support cpu 8192 with memory 18432 MiB; with cpu 8192 use memory 16384 to 61440 in steps of 4096. Memory 18432 MiB fits cpu 4096.',
    );
    expect(fargateSizeProblem('2048', '100000')).toBe(
      'Fargate does not support cpu 2048 with memory 100000 MiB; with cpu 2048 use memory 4096 to 16384 in steps of 1024.',
    );
    expect(fargateSizeProblem('1 vCPU', '2 GB')).toBeUndefined();
    expect(fargateSizeProblem(1024, 2048)).toBeUndefined();
  });
});

describe('looksSecret', () => {
  test.each([
    'DB_PASSWORD',
    'dbPassword',
    'DBPASSWD',
    'GITHUB_TOKEN',
    'authToken',
    'API_KEY',
    'apiKey',
    'STRIPE_APIKEY',
    'PRIVATE_KEY',
    'AWS_SECRET_ACCESS_KEY',
    'aws_access_key_id',
    'GOOGLE_CREDENTIALS',
    'Passphrase',
  ])('%s looks secret', (name) => expect(looksSecret(name)).toBe(true));
  test.each([
    'PORT',
    'TOKENIZER_MODEL',
    'PASSWORD_FILE',
    'SECRET_ARN',
    'DB_SECRET_NAME',
    'KEYBOARD',
    'MONKEY',
    'PWD',
    'TOKEN_URL',
  ])('%s does not', (name) => expect(looksSecret(name)).toBe(false));
});

describe('validateTaskDefinition: field names from the SDK model', () => {
  const fieldErrors = (td: JsonObject) =>
    validateTaskDefinition(td)
      .filter((p) => p.message.includes(' is not a field of '))
      .map((p) => [p.path, p.message]);
  const IN_MODEL = `in the ECS API model of the bundled AWS SDK (@aws-sdk/client-ecs ${ECS_SDK_VERSION}), so it would be dropped without a word and never reach ECS.`;
  const NEWER =
    ' If it is a field newer than this SDK, this release of the action cannot send it: remove it, or upgrade to a release of the action with a newer SDK.';

  test('the model is the one the installed SDK carries', () => {
    const installed = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../node_modules/@aws-sdk/client-ecs/package.json'), 'utf8'),
    ) as { version: string };
    expect(ECS_SDK_VERSION).toBe(installed.version);
    expect([...TASK_DEFINITION_SHAPE.members.keys()]).toEqual(
      (RegisterTaskDefinitionRequest$ as unknown as [number, string, string, number, string[]])[4],
    );
  });

  test('a misspelled container field is an error with the near name', () => {
    expect(fieldErrors(fargate({}, web({ healthcheck: HEALTH })))).toEqual([
      [
        `${C0}.healthcheck`,
        `'healthcheck' is not a field of ContainerDefinition ${IN_MODEL} Did you mean 'healthCheck'?`,
      ],
    ]);
  });

  test('a misspelled top-level field is an error with the near name', () => {
    expect(fieldErrors(fargate({ taskRoleARN: ROLE, famly: 'x' }))).toEqual([
      [
        'taskRoleARN',
        `'taskRoleARN' is not a field of the task definition ${IN_MODEL} Did you mean 'taskRoleArn'?`,
      ],
      ['famly', `'famly' is not a field of the task definition ${IN_MODEL} Did you mean 'family'?`],
    ]);
  });

  test('every level is checked: nested structures, list items and tags', () => {
    const td = fargate(
      {
        volumes: [{ name: 'd', efsVolumeConfiguration: { fileSystemID: 'fs-1', rootDir: '/' } }],
        tags: [{ Key: 'team', value: 'x' }],
        runtimePlatform: { cpuArch: 'ARM64' },
      },
      web({
        healthCheck: { ...HEALTH, intervall: 10 },
        portMappings: [{ containerPort: 80 }, { containerport: 81 }],
        logConfiguration: { logdriver: 'awslogs', options: { 'awslogs-group': 'g' } },
        linuxParameters: { devices: [{ hostPath: '/dev/x', permisions: ['read'] }] },
      }),
    );
    expect(
      fieldErrors(td).map(([path, message]) => [path, (message ?? '').split(' Did you mean ')[1] ?? 'none']),
    ).toEqual([
      [`${C0}.portMappings[1].containerport`, "'containerPort'?"],
      [`${C0}.logConfiguration.logdriver`, "'logDriver'?"],
      [`${C0}.healthCheck.intervall`, "'interval'?"],
      [`${C0}.linuxParameters.devices[0].permisions`, "'permissions'?"],
      ['volumes[0].efsVolumeConfiguration.fileSystemID', "'fileSystemId'?"],
      ['volumes[0].efsVolumeConfiguration.rootDir', 'none'],
      ['tags[0].Key', "'key'?"],
      ['runtimePlatform.cpuArch', 'none'],
    ]);
  });

  test('a name with no near field says the bundled SDK may be too old, and how to get past it', () => {
    expect(fieldErrors(fargate({ someFutureField: { x: 1 } }))).toEqual([
      ['someFutureField', `'someFutureField' is not a field of the task definition ${IN_MODEL}${NEWER}`],
    ]);
  });

  test('the keys of map-typed fields are free-form', () => {
    const td = ec2(
      {},
      app('app', {
        dockerLabels: { 'com.example.Team': 'x', healthcheck: 'y', 'Any Key': 'z' },
        logConfiguration: { logDriver: 'fluentd', options: { 'fluentd-address': 'x', Tag: 'y' } },
        firelensConfiguration: { type: 'fluentbit', options: { 'config-file-type': 'file' } },
        hostname: 'app',
        links: [],
        dnsServers: ['10.0.0.2'],
        extraHosts: [{ hostname: 'db', ipAddress: '10.0.0.3' }],
      }),
    );
    td.volumes = [
      { name: 'v', dockerVolumeConfiguration: { driverOpts: { Type: 'nfs' }, labels: { Any: 'x' } } },
    ];
    expect(fieldErrors(td)).toEqual([]);
  });

  test('a top-level x- key holding YAML anchors is no field error, but only at the top level', () => {
    expect(fieldErrors(fargate({ 'x-defaults': { essential: true } }, web({ 'x-extra': 1 })))).toEqual([
      [`${C0}["x-extra"]`, expect.stringMatching(/^'x-extra' is not a field of ContainerDefinition /)],
    ]);
  });

  test('an unknown field is reported where its key is written', () => {
    const problems = validateTaskDefinition(fargate({}, web({ healthcheck: HEALTH })), {
      positionOf: () => ({ line: 1, column: 1 }),
      keyPositionOf: (path) =>
        formatPath(path) === `${C0}.healthcheck` ? { line: 12, column: 7 } : undefined,
      file: 'td.json',
    });
    expect(problems).toEqual([
      expect.objectContaining({ path: `${C0}.healthcheck`, file: 'td.json', line: 12, column: 7 }),
    ]);
  });

  test('every field of a big realistic task definition is known, and it breaks no rule', async () => {
    const t = await loadTemplate(join(FIXTURES, 'every-field.json'));
    expect(unknownFields(t.doc)).toEqual([]);
    expect(validateTaskDefinition(t.doc)).toEqual([]);
  });

  test('the example and fixture templates use known fields only (but the deliberate futureField)', async () => {
    const files = [
      ...['web.json', 'web.yaml', 'multi.json', 'describe-output.json'].map((f) => join(EXAMPLES, f)),
      ...['web.yaml', 'describe-output.json'].map((f) => join(FIXTURES, f)),
    ];
    for (const file of files)
      expect([file, unknownFields((await loadTemplate(file)).doc)]).toEqual([file, []]);
    const web = await loadTemplate(join(FIXTURES, 'web.json'));
    expect(unknownFields(web.doc).map((f) => f.path)).toEqual([['futureField']]);
  });

  test('a base from a registered revision passes: describe output has only model fields once normalised', () => {
    // Every field DescribeTaskDefinition returns is either registrable or stripped as read-only.
    const described = (TaskDefinition$ as unknown as [number, string, string, number, string[]])[4];
    const registrable = new Set(TASK_DEFINITION_SHAPE.members.keys());
    expect(described.filter((f) => !registrable.has(f)).sort()).toEqual(
      [...READ_ONLY_TASK_DEFINITION_FIELDS].sort(),
    );
    const revision = normalizeTaskDefinition({
      taskDefinition: {
        ...fargate(),
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
        revision: 3,
        status: 'ACTIVE',
        compatibilities: ['EC2', 'FARGATE'],
        requiresAttributes: [{ name: 'ecs.capability.execution-role-awslogs' }],
        registeredAt: '2025-01-01T00:00:00Z',
        registeredBy: 'arn:aws:iam::123456789012:user/ci',
      },
      tags: [{ key: 'team', value: 'web' }],
    });
    expect(fieldErrors(revision)).toEqual([]);
  });

  test('near names: case first, then a small edit distance', () => {
    const known = ['healthCheck', 'hostname', 'taskRoleArn', 'cpu', 'memory', 'memoryReservation'];
    expect(nearNames('HEALTHCHECK', known)).toEqual(['healthCheck']);
    expect(nearNames('helthCheck', known)).toEqual(['healthCheck']);
    expect(nearNames('hsotname', known)).toEqual(['hostname']);
    expect(nearNames('cpus', known)).toEqual(['cpu']);
    expect(nearNames('gpu', known)).toEqual(['cpu']);
    expect(nearNames('mem', known)).toEqual([]);
    expect(nearNames('somethingElse', known)).toEqual([]);
    expect(editDistance('abc', 'acb', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
  });

  test('a task definition nested too deep, or inside itself, is one error and no rule runs', () => {
    let deep: JsonObject = { x: 1 };
    for (let i = 0; i < 5000; i++) deep = { x: deep };
    expect(
      validateTaskDefinition(fargate({ someField: deep })).map((p) => p.path?.split('.').length),
      // The first collection too deep is at level MAX_NESTING + 1, MAX_NESTING keys below the top.
    ).toEqual([MAX_NESTING]);
    const loop: JsonObject = { a: [] };
    (loop.a as JsonObject[]).push(loop);
    expect(validateTaskDefinition(fargate({ loop })).map((p) => p.path)).toEqual(['loop.a[0]']);
  });
});
