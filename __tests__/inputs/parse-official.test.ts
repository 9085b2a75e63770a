// The official deploy action's remaining inputs: wait-max-delay-seconds, the service's managed EBS
// volume, keep-null-value-keys and max-retries. Each is accepted with the official meaning, and
// every bad value is an error naming the input (and the field, for the volume's JSON).
import { describe, expect, test } from '@jest/globals';
import { readInputs } from '../../src/inputs/index.js';
import { MAX_POLL_SECONDS as MAX_CODEDEPLOY_POLL_SECONDS } from '../../src/codedeploy/follow.js';
import { officialInputNotes, OUR_MAX_POLL_SECONDS } from '../../src/inputs/parse-official.js';
import { MAX_POLL_INTERVAL_MS } from '../../src/rollout/budget.js';

type Inputs = Record<string, string>;
const BASE: Inputs = { 'task-definition': 'td.json', service: 'web' };
const ROLE = 'arn:aws:iam::123456789012:role/ebs-role';

function read(inputs: Inputs) {
  const { request, problems } = readInputs((name) => ({ ...BASE, ...inputs })[name] ?? '');
  const errors = problems.filter((p) => p.severity === 'error').map((p) => [p.input, p.message]);
  const warnings = problems.filter((p) => p.severity === 'warning').map((p) => [p.input, p.message]);
  return { request, errors, warnings };
}

describe('unset', () => {
  test('every one of them is undefined, so the request is what it was without them', () => {
    const { request, errors } = read({});
    expect(errors).toEqual([]);
    expect(request).toMatchObject({
      waitMaxDelaySeconds: undefined,
      serviceEbsVolumeName: undefined,
      serviceEbsVolume: undefined,
      keepNullValueKeys: undefined,
      maxRetries: undefined,
    });
  });
});

describe('wait-max-delay-seconds', () => {
  test('a whole number of seconds is accepted', () => {
    expect(read({ 'wait-max-delay-seconds': '15' }).request.waitMaxDelaySeconds).toBe(15);
    expect(read({ 'wait-max-delay-seconds': '21600' }).errors).toEqual([]);
  });

  test.each(['0', '-5', '1.5', 'fifteen', '21601', '15s'])('%s is an error naming the input', (value) => {
    expect(read({ 'wait-max-delay-seconds': value }).errors).toEqual([
      ['wait-max-delay-seconds', `"${value}" is not a whole number of seconds from 1 to 21600.`],
    ]);
  });

  test('its debug line says our polling is already faster', () => {
    expect(officialInputNotes({ waitMaxDelaySeconds: 15 })).toEqual([
      expect.stringMatching(/^wait-max-delay-seconds 15: accepted .* at most 4 seconds apart already\.$/),
    ]);
  });

  test("the figures it says are the followers' real longest pauses: 4 s for ECS, 5 s for CodeDeploy", () => {
    expect(OUR_MAX_POLL_SECONDS).toEqual({
      ecs: MAX_POLL_INTERVAL_MS / 1000,
      codeDeploy: MAX_CODEDEPLOY_POLL_SECONDS,
    });
    expect(officialInputNotes({ waitMaxDelaySeconds: 15 })[0]).toContain(
      'polls a CodeDeploy deployment at most 5 seconds apart, and an ECS deployment or a task at most 4 seconds apart',
    );
  });
});

describe('wait-for-minutes above 360', () => {
  test.each(['361', '400', '720.5'])(
    '%s is capped at 360 with a warning, as the official action clamps it',
    (value) => {
      const { request, errors, warnings } = read({ 'wait-for-minutes': value });
      expect(errors).toEqual([]);
      expect(request.waitForMinutes).toBe(360);
      expect(warnings).toEqual([
        [
          'wait-for-minutes',
          `${value} minutes is more than this action waits: the wait is capped at 360 minutes (six hours), as the official deploy action caps it.`,
        ],
      ]);
    },
  );

  test('360 and below are taken as given, without a warning', () => {
    const { request, warnings } = read({ 'wait-for-minutes': '360' });
    expect(request.waitForMinutes).toBe(360);
    expect(warnings).toEqual([]);
  });
});

describe('keep-null-value-keys', () => {
  test('a comma-separated list of keys, blanks and empty items ignored as the official action does', () => {
    expect(
      read({ 'keep-null-value-keys': 'tag, command ,placementConstraints,' }).request.keepNullValueKeys,
    ).toEqual(['tag', 'command', 'placementConstraints']);
  });

  test('a key that cannot be a key is an error naming it', () => {
    expect(read({ 'keep-null-value-keys': 'tag,my key,{x}' }).errors).toEqual([
      ['keep-null-value-keys', expect.stringMatching(/^"my key" is not a key name/)],
      ['keep-null-value-keys', expect.stringMatching(/^"\{x\}" is not a key name/)],
    ]);
  });

  test('its debug line says every empty value is kept already', () => {
    expect(officialInputNotes({ keepNullValueKeys: ['tag', 'command'] })).toEqual([
      expect.stringMatching(/^keep-null-value-keys tag, command: accepted .* keeps every empty value/),
    ]);
    expect(officialInputNotes({})).toEqual([]);
  });
});

describe('max-retries', () => {
  test.each([
    ['0', 0],
    ['3', 3],
    ['20', 20],
  ])('%s retries', (value, retries) => {
    expect(read({ 'max-retries': value })).toMatchObject({ request: { maxRetries: retries }, errors: [] });
  });

  test.each(['-1', '21', '2.5', 'three'])('%s is an error naming the input', (value) => {
    expect(read({ 'max-retries': value }).errors).toEqual([
      ['max-retries', expect.stringContaining(`"${value}" is not a whole number of retries from 0 to 20`)],
    ]);
  });

  test('is allowed without a service (it applies to every AWS call)', () => {
    expect(read({ service: '', 'max-retries': '2' }).errors).toEqual([]);
  });
});

describe('service-managed-ebs-volume-name and service-managed-ebs-volume', () => {
  const volume = (json: object): Inputs => ({
    'service-managed-ebs-volume-name': 'ebs1',
    'service-managed-ebs-volume': JSON.stringify(json),
  });

  test('the README example is accepted as given', () => {
    const { request, errors } = read(
      volume({ sizeInGiB: 30, volumeType: 'gp3', encrypted: true, roleArn: ROLE }),
    );
    expect(errors).toEqual([]);
    expect(request.serviceEbsVolumeName).toBe('ebs1');
    expect(request.serviceEbsVolume).toEqual({
      sizeInGiB: 30,
      volumeType: 'gp3',
      encrypted: true,
      roleArn: ROLE,
    });
  });

  test('fields are checked against the SDK shape, each error naming the field', () => {
    expect(read(volume({ sizeInGiB: '30', encrypted: 'yes', terminationPolicy: {} })).errors).toEqual([
      ['service-managed-ebs-volume', 'roleArn is required.'],
      ['service-managed-ebs-volume', 'sizeInGiB must be a whole number from 1 to 65536.'],
      ['service-managed-ebs-volume', 'encrypted must be true or false.'],
      [
        'service-managed-ebs-volume',
        expect.stringMatching(/^terminationPolicy is not a field of this object; use /),
      ],
    ]);
  });

  test('JSON that does not parse is an error, without quoting the value', () => {
    expect(
      read({ 'service-managed-ebs-volume-name': 'ebs1', 'service-managed-ebs-volume': '{roleArn: x' }).errors,
    ).toEqual([['service-managed-ebs-volume', 'is not valid JSON; check its quotes, commas and brackets.']]);
  });

  test('the volume without its name is an error; the name without the volume is a warning, and no volume is sent', () => {
    expect(
      read({ 'service-managed-ebs-volume': JSON.stringify({ roleArn: ROLE, sizeInGiB: 1 }) }).errors,
    ).toEqual([
      ['service-managed-ebs-volume', expect.stringMatching(/^needs service-managed-ebs-volume-name/)],
    ]);
    const nameOnly = read({ 'service-managed-ebs-volume-name': 'ebs1' });
    expect(nameOnly.errors).toEqual([]);
    expect(nameOnly.warnings).toEqual([
      ['service-managed-ebs-volume', expect.stringMatching(/ignored without/)],
    ]);
    expect(nameOnly.request.serviceEbsVolumeName).toBeUndefined();
    // `{}` is unset, as the official action reads it.
    expect(
      read({ 'service-managed-ebs-volume-name': 'ebs1', 'service-managed-ebs-volume': '{ }' }).request
        .serviceEbsVolume,
    ).toBeUndefined();
  });

  test('a bad volume name is an error', () => {
    expect(read(volume({ roleArn: ROLE, sizeInGiB: 1 }))).toMatchObject({ errors: [] });
    expect(
      read({ ...volume({ roleArn: ROLE, sizeInGiB: 1 }), 'service-managed-ebs-volume-name': 'ebs 1' }).errors,
    ).toEqual([['service-managed-ebs-volume-name', expect.stringMatching(/is not a volume name/)]]);
  });

  test('they need a service', () => {
    const { errors } = read({ ...volume({ roleArn: ROLE, sizeInGiB: 1 }), service: '' });
    expect(errors.map(([input]) => input)).toEqual([
      'service-managed-ebs-volume-name',
      'service-managed-ebs-volume',
    ]);
  });
});
