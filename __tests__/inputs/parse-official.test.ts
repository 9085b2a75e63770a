// The official deploy action's remaining inputs: wait-max-delay-seconds, the service's managed EBS
// volume, keep-null-value-keys and max-retries. Each is accepted with the official meaning; a value
// the official action accepts is accepted here too (with a warning naming the input when it is odd),
// and a value that cannot mean anything is an error naming the input (and the field, for the volume).
import { describe, expect, test } from '@jest/globals';
import { readInputs } from '../../src/inputs/index.js';
import { MAX_POLL_SECONDS as MAX_CODEDEPLOY_POLL_SECONDS } from '../../src/codedeploy/follow.js';
import { maxRetriesOf, officialInputNotes, OUR_MAX_POLL_SECONDS } from '../../src/inputs/parse-official.js';
import { formatProblem } from '../../src/lib/problems.js';
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

  // The official action reads it with parseInt and sets a ceiling only when that is truthy: every
  // value is accepted there, so every value is accepted here, with a warning when it is odd.
  test.each([
    ['0', undefined, '0 seconds is no delay, so it sets no ceiling, as in the official deploy action'],
    ['-5', undefined, '-5 seconds is no delay, so it sets no ceiling'],
    ['fifteen', undefined, '"fifteen" is not a number of seconds, so it sets no ceiling'],
    ['15.5', 15, '"15.5" is read as 15 seconds (whole seconds, as the official deploy action reads it).'],
    ['15s', 15, '"15s" is read as 15 seconds'],
    [
      '21601',
      21601,
      '21601 seconds is longer than any wait (at most 21600 s, six hours), so it changes nothing.',
    ],
  ])(
    '%s is accepted as the official action reads it, with a warning naming the input',
    (value, seconds, warning) => {
      const { request, errors, warnings } = read({ 'wait-max-delay-seconds': value });
      expect(errors).toEqual([]);
      expect(request.waitMaxDelaySeconds).toBe(seconds);
      expect(warnings).toEqual([['wait-max-delay-seconds', expect.stringContaining(warning)]]);
    },
  );

  test('a plain whole number gets no warning', () => {
    expect(read({ 'wait-max-delay-seconds': '15' }).warnings).toEqual([]);
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

  // The official action accepts any text and matches each entry against field names at any depth.
  test('an entry that is a path or cannot be a field name is a warning, never an error', () => {
    const { request, errors, warnings } = read({
      'keep-null-value-keys': 'tag,containerDefinitions.command,my key,{x}',
    });
    expect(errors).toEqual([]);
    expect(request.keepNullValueKeys).toEqual(['tag', 'containerDefinitions.command', 'my key', '{x}']);
    expect(warnings).toEqual([
      [
        'keep-null-value-keys',
        expect.stringMatching(
          /^the entry "containerDefinitions\.command" is a path, but entries are field names/,
        ),
      ],
      ['keep-null-value-keys', expect.stringMatching(/^the entry "my key" is not a field name/)],
      ['keep-null-value-keys', expect.stringMatching(/^the entry "\{x\}" is not a field name/)],
    ]);
  });

  test('its warnings show the entry as written: not hidden as a secret though the name ends in "keys"', () => {
    const { problems } = readInputs(
      (name) => ({ ...BASE, 'keep-null-value-keys': 'containerDefinitions.command, my key' })[name] ?? '',
    );
    const shown = problems.filter((p) => p.input === 'keep-null-value-keys').map(formatProblem);
    expect(shown).toEqual([
      expect.stringContaining(
        `input 'keep-null-value-keys': the entry "containerDefinitions.command" is a path`,
      ),
      expect.stringContaining(`input 'keep-null-value-keys': the entry "my key" is not a field name`),
    ]);
    for (const line of shown) expect(line).not.toContain('***');
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

  // The official action reads `parseInt(value) || 3`: every value is accepted there.
  test.each([
    ['3.0', 3, '"3.0" is read as 3, as the official deploy action reads it.'],
    ['2.5', 2, '"2.5" is read as 2'],
    ['25', 20, '25 retries is more than this action makes: capped at 20'],
    ['-1', 0, '-1 retries means none: a call is made once'],
    [
      'lots',
      undefined,
      '"lots" is not a number of retries, so the default is used (5 retries), as the official deploy action falls back to its default.',
    ],
  ])(
    '%s is accepted as the official action reads it, with a warning naming the input',
    (value, retries, warning) => {
      const { request, errors, warnings } = read({ 'max-retries': value });
      expect(errors).toEqual([]);
      expect(request.maxRetries).toBe(retries);
      expect(warnings).toEqual([['max-retries', expect.stringContaining(warning)]]);
      // The AWS clients are made with the same number (src/main.ts reads it before the inputs).
      expect(maxRetriesOf(value)).toBe(retries);
    },
  );

  test('a whole number from 0 to 20 gets no warning', () => {
    expect(read({ 'max-retries': '20' }).warnings).toEqual([]);
    expect(read({ 'max-retries': '0' }).warnings).toEqual([]);
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
    expect(read(volume({ sizeInGiB: '30', encrypted: 'yes' })).errors).toEqual([
      ['service-managed-ebs-volume', 'roleArn is required.'],
      ['service-managed-ebs-volume', 'sizeInGiB must be a whole number from 1 to 65536.'],
      ['service-managed-ebs-volume', 'encrypted must be true or false.'],
    ]);
  });

  // The official action copies a fixed list of fields, throughput only with volumeType gp3, and
  // drops the rest without a word: a migrated workflow must not stop at them.
  test('a field the official action drops is dropped with a warning naming it, not an error', () => {
    const { request, errors, warnings } = read(
      volume({
        roleArn: ROLE,
        sizeInGiB: 30,
        volumeType: 'gp2',
        throughput: 250,
        terminationPolicy: {},
        sizeGb: 3,
      }),
    );
    expect(errors).toEqual([]);
    expect(request.serviceEbsVolume).toEqual({ roleArn: ROLE, sizeInGiB: 30, volumeType: 'gp2' });
    expect(warnings).toEqual([
      [
        'service-managed-ebs-volume',
        expect.stringMatching(
          /^field throughput is dropped: it is sent only with volumeType gp3, and this configuration has volumeType gp2/,
        ),
      ],
      [
        'service-managed-ebs-volume',
        expect.stringMatching(/^field terminationPolicy is dropped: it is not a field/),
      ],
      [
        'service-managed-ebs-volume',
        expect.stringMatching(/^field sizeGb is dropped: .* the official deploy action drops it too\.$/),
      ],
    ]);
  });

  test('throughput without a volumeType is dropped as the official action drops it; with gp3 it is sent', () => {
    const without = read(volume({ roleArn: ROLE, sizeInGiB: 30, throughput: 250 }));
    expect(without.request.serviceEbsVolume).toEqual({ roleArn: ROLE, sizeInGiB: 30 });
    expect(without.warnings).toEqual([
      ['service-managed-ebs-volume', expect.stringContaining('this configuration has no volumeType')],
    ]);
    const gp3 = read(volume({ roleArn: ROLE, sizeInGiB: 30, volumeType: 'gp3', throughput: 250 }));
    expect(gp3).toMatchObject({ errors: [], warnings: [] });
    expect(gp3.request.serviceEbsVolume).toMatchObject({ throughput: 250 });
  });

  test('volumeInitializationRate, a field ECS takes that the official action does not know, is sent', () => {
    const { request, warnings } = read(
      volume({ roleArn: ROLE, snapshotId: 'snap-0123456789abcdef0', volumeInitializationRate: 200 }),
    );
    expect(warnings).toEqual([]);
    expect(request.serviceEbsVolume).toMatchObject({ volumeInitializationRate: 200 });
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
