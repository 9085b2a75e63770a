import { describe, expect, it } from '@jest/globals';
import type { Tag, TaskDefinitionStatus } from '@aws-sdk/client-ecs';

import type { DescribedTaskDefinition } from '../../src/aws/ports.js';
import { AwsCallError } from '../../src/aws/errors.js';
import type { Base } from '../../src/taskdef/base.js';
import { findComparison } from '../../src/taskdef/compare.js';
import type { JsonObject } from '../../src/lib/json.js';

const arn = (rev: string): string => `arn:aws:ecs:us-east-1:123456789012:task-definition/${rev}`;

function td(image: string, extra: JsonObject = {}): JsonObject {
  return { family: 'web', containerDefinitions: [{ name: 'app', image }], ...extra };
}

interface Rev {
  image: string;
  status?: TaskDefinitionStatus;
  tags?: Tag[];
}

/**
 * A fake DescribeTaskDefinition over revisions `web:N`; `latest` is what the bare family gives
 * (undefined: the family has no ACTIVE revision). Every call is recorded.
 */
function fakeEcs(revisions: Record<string, Rev>, latest?: string) {
  const calls: string[] = [];
  const describeRev = (rev: string): DescribedTaskDefinition => {
    const r = revisions[rev];
    return { taskDefinition: td(r.image), tags: r.tags ?? [], arn: arn(rev), status: r.status ?? 'ACTIVE' };
  };
  const describe = async (ref: string): Promise<DescribedTaskDefinition> => {
    calls.push(ref);
    if (ref === 'web') {
      if (!latest) throw clientException();
      return describeRev(latest);
    }
    const rev = ref.slice(ref.lastIndexOf('/') + 1);
    if (!revisions[rev]) throw clientException();
    return describeRev(rev);
  };
  return { describe, calls };
}

function clientException(): AwsCallError {
  return new AwsCallError(
    'DescribeTaskDefinition failed: ClientException: Unable to describe task definition.',
    {
      kind: 'other',
      operation: 'DescribeTaskDefinition',
      awsName: 'ClientException',
    },
  );
}

function accessDenied(): AwsCallError {
  return new AwsCallError('DescribeTaskDefinition failed: access denied.', {
    kind: 'access-denied',
    operation: 'DescribeTaskDefinition',
    awsName: 'AccessDeniedException',
  });
}

function templateBase(doc: JsonObject): Base {
  return { source: 'template', doc, tags: [] };
}

function registeredBase(rev: string, image: string, status: TaskDefinitionStatus = 'ACTIVE'): Base {
  return { source: 'revision', doc: td(image), arn: arn(rev), tags: [], status };
}

function collect(): { warn: (m: string) => void; warnings: string[] } {
  const warnings: string[] = [];
  return { warn: (m) => warnings.push(m), warnings };
}

describe('findComparison: a template with a service', () => {
  it('reuses the revision the service runs when identical, without describing the family', async () => {
    const ecs = fakeEcs({ 'web:1': { image: 'app:1' } }, 'web:1');
    const { warn, warnings } = collect();
    const out = await findComparison({
      base: templateBase(td('app:1')),
      rendered: td('app:1'),
      currentTaskDefinitionArn: arn('web:1'),
      describe: ecs.describe,
      warn,
    });
    expect(out).toStrictEqual({
      diffAgainst: { doc: td('app:1'), arn: arn('web:1') },
      reuse: { doc: td('app:1'), arn: arn('web:1') },
    });
    expect(ecs.calls).toEqual([arn('web:1')]);
    expect(warnings).toEqual([]);
  });

  it('after a rolled-back deploy, reuses the family latest (web:2) and diffs against what the service runs (web:1)', async () => {
    const ecs = fakeEcs({ 'web:1': { image: 'app:1' }, 'web:2': { image: 'app:2' } }, 'web:2');
    const { warn, warnings } = collect();
    const out = await findComparison({
      base: templateBase(td('app:2')),
      rendered: td('app:2'),
      currentTaskDefinitionArn: arn('web:1'),
      describe: ecs.describe,
      warn,
    });
    expect(out).toStrictEqual({
      diffAgainst: { doc: td('app:1'), arn: arn('web:1') },
      reuse: { doc: td('app:2'), arn: arn('web:2') },
    });
    expect(ecs.calls).toEqual([arn('web:1'), 'web']);
    expect(warnings).toEqual([]);
  });

  it('reuses nothing when no revision is identical, and diffs against what the service runs', async () => {
    const ecs = fakeEcs({ 'web:1': { image: 'app:1' }, 'web:2': { image: 'app:2' } }, 'web:2');
    const { warn, warnings } = collect();
    const out = await findComparison({
      base: templateBase(td('app:3')),
      rendered: td('app:3'),
      currentTaskDefinitionArn: arn('web:1'),
      describe: ecs.describe,
      warn,
    });
    expect(out).toStrictEqual({ diffAgainst: { doc: td('app:1'), arn: arn('web:1') } });
    expect(ecs.calls).toEqual([arn('web:1'), 'web']);
    expect(warnings).toEqual([]);
  });

  it('does not reuse a deregistered service revision: the family latest if identical, else a new one with a warning', async () => {
    const inactive = { 'web:1': { image: 'app:1', status: 'INACTIVE' as const } };
    const copy = fakeEcs({ ...inactive, 'web:3': { image: 'app:1' } }, 'web:3');
    const found = collect();
    const reused = await findComparison({
      base: templateBase(td('app:1')),
      rendered: td('app:1'),
      currentTaskDefinitionArn: arn('web:1'),
      describe: copy.describe,
      warn: found.warn,
    });
    expect(reused).toStrictEqual({
      diffAgainst: { doc: td('app:1'), arn: arn('web:1') },
      reuse: { doc: td('app:1'), arn: arn('web:3') },
    });
    expect(copy.calls).toEqual([arn('web:1'), 'web']);
    expect(found.warnings).toEqual([]);

    const none = fakeEcs({ ...inactive, 'web:2': { image: 'app:2' } }, 'web:2');
    const { warn, warnings } = collect();
    const out = await findComparison({
      base: templateBase(td('app:1')),
      rendered: td('app:1'),
      currentTaskDefinitionArn: arn('web:1'),
      describe: none.describe,
      warn,
    });
    expect(out).toStrictEqual({ diffAgainst: { doc: td('app:1'), arn: arn('web:1') } });
    expect(warnings).toEqual([
      'web:1 is deregistered (INACTIVE); registering the same definition as a new revision so the service can run it.',
    ]);
  });
});

describe('findComparison: a registered base', () => {
  it('task-definition-arn web:2 while the service runs web:1: diffs against web:1 and reuses web:2', async () => {
    const ecs = fakeEcs({ 'web:1': { image: 'app:1' }, 'web:2': { image: 'app:2' } }, 'web:2');
    const { warn } = collect();
    const out = await findComparison({
      base: registeredBase('web:2', 'app:2'),
      rendered: td('app:2'),
      currentTaskDefinitionArn: arn('web:1'),
      describe: ecs.describe,
      warn,
    });
    expect(out).toStrictEqual({
      diffAgainst: { doc: td('app:1'), arn: arn('web:1') },
      reuse: { doc: td('app:2'), arn: arn('web:2') },
    });
    // The service's revision is read for the diff; the family is not described.
    expect(ecs.calls).toEqual([arn('web:1')]);
  });

  it('a redeploy of the service revision, unchanged: reuses it with no describe at all', async () => {
    const ecs = fakeEcs({ 'web:1': { image: 'app:1' } }, 'web:1');
    const base: Base = { ...registeredBase('web:1', 'app:1'), source: 'service' };
    const { warn } = collect();
    const out = await findComparison({
      base,
      rendered: td('app:1'),
      currentTaskDefinitionArn: arn('web:1'),
      describe: ecs.describe,
      warn,
    });
    expect(out).toStrictEqual({
      diffAgainst: { doc: td('app:1'), arn: arn('web:1') },
      reuse: { doc: td('app:1'), arn: arn('web:1') },
    });
    expect(ecs.calls).toEqual([]);
  });

  it('a redeploy of the service revision with a new image: diffs against it and looks for a copy in the family', async () => {
    const ecs = fakeEcs({ 'web:1': { image: 'app:1' }, 'web:2': { image: 'app:2' } }, 'web:2');
    const base: Base = { ...registeredBase('web:1', 'app:1'), source: 'service' };
    const { warn } = collect();
    const out = await findComparison({
      base,
      rendered: td('app:2'),
      currentTaskDefinitionArn: arn('web:1'),
      describe: ecs.describe,
      warn,
    });
    expect(out).toStrictEqual({
      diffAgainst: { doc: td('app:1'), arn: arn('web:1') },
      reuse: { doc: td('app:2'), arn: arn('web:2') },
    });
    expect(ecs.calls).toEqual(['web']);
  });

  it('an INACTIVE task-definition-arn is never reused: registered again, with a warning', async () => {
    const ecs = fakeEcs(
      { 'web:1': { image: 'app:1', status: 'INACTIVE' }, 'web:2': { image: 'app:2' } },
      'web:2',
    );
    const { warn, warnings } = collect();
    const out = await findComparison({
      base: registeredBase('web:1', 'app:1', 'INACTIVE'),
      rendered: td('app:1'),
      currentTaskDefinitionArn: arn('web:2'),
      describe: ecs.describe,
      warn,
    });
    expect(out).toStrictEqual({ diffAgainst: { doc: td('app:2'), arn: arn('web:2') } });
    expect(out.reuse).toBeUndefined();
    expect(ecs.calls).toEqual([arn('web:2'), 'web']);
    expect(warnings).toEqual([
      'web:1 is deregistered (INACTIVE); registering the same definition as a new revision so the service can run it.',
    ]);
  });

  it('without a service: diffs against the base; an INACTIVE base warns without naming a service', async () => {
    const ecs = fakeEcs(
      { 'web:1': { image: 'app:1', status: 'INACTIVE' }, 'web:2': { image: 'app:2' } },
      'web:2',
    );
    const { warn, warnings } = collect();
    const out = await findComparison({
      base: registeredBase('web:1', 'app:1', 'INACTIVE'),
      rendered: td('app:1'),
      currentTaskDefinitionArn: undefined,
      describe: ecs.describe,
      warn,
    });
    expect(out).toStrictEqual({ diffAgainst: { doc: td('app:1'), arn: arn('web:1') } });
    expect(warnings).toEqual([
      'web:1 is deregistered (INACTIVE); registering the same definition as a new revision.',
    ]);
  });

  it('without a service: a changed base is diffed against itself and may match the family latest', async () => {
    const ecs = fakeEcs({ 'web:1': { image: 'app:1' }, 'web:2': { image: 'app:2' } }, 'web:2');
    const { warn } = collect();
    const out = await findComparison({
      base: registeredBase('web:1', 'app:1'),
      rendered: td('app:2'),
      currentTaskDefinitionArn: undefined,
      describe: ecs.describe,
      warn,
    });
    expect(out).toStrictEqual({
      diffAgainst: { doc: td('app:1'), arn: arn('web:1') },
      reuse: { doc: td('app:2'), arn: arn('web:2') },
    });
    expect(ecs.calls).toEqual(['web']);
  });
});

describe('findComparison: a template without a service', () => {
  it('compares with the family latest and reuses it when identical', async () => {
    const ecs = fakeEcs({ 'web:4': { image: 'app:4' } }, 'web:4');
    const { warn } = collect();
    const out = await findComparison({
      base: templateBase(td('app:4')),
      rendered: td('app:4'),
      currentTaskDefinitionArn: undefined,
      describe: ecs.describe,
      warn,
    });
    expect(out).toStrictEqual({
      diffAgainst: { doc: td('app:4'), arn: arn('web:4') },
      reuse: { doc: td('app:4'), arn: arn('web:4') },
    });
    expect(ecs.calls).toEqual(['web']);
  });

  it('a family with no revision yet gives nothing to compare with, and no warning', async () => {
    const ecs = fakeEcs({});
    const { warn, warnings } = collect();
    const out = await findComparison({
      base: templateBase(td('app:1')),
      rendered: td('app:1'),
      currentTaskDefinitionArn: undefined,
      describe: ecs.describe,
      warn,
    });
    expect(out).toStrictEqual({});
    expect(ecs.calls).toEqual(['web']);
    expect(warnings).toEqual([]);
  });

  it('a document without a family describes nothing', async () => {
    const ecs = fakeEcs({});
    const { warn } = collect();
    const doc = { containerDefinitions: [] };
    expect(
      await findComparison({
        base: templateBase(doc),
        rendered: doc,
        currentTaskDefinitionArn: undefined,
        describe: ecs.describe,
        warn,
      }),
    ).toStrictEqual({});
    expect(ecs.calls).toEqual([]);
  });
});

describe('findComparison: tags', () => {
  const tagged = (tags: Tag[]) => fakeEcs({ 'web:1': { image: 'app:1', tags } }, 'web:1');

  it('a template with tags is compared with the revision and its tags', async () => {
    const rendered = td('app:1', { tags: [{ key: 'team', value: 'a' }] });
    const same = tagged([{ key: 'team', value: 'a' }]);
    const out = await findComparison({
      base: templateBase(rendered),
      rendered,
      currentTaskDefinitionArn: arn('web:1'),
      describe: same.describe,
      warn: () => {},
    });
    expect(out.reuse).toStrictEqual({ doc: rendered, arn: arn('web:1') });
    expect(out.diffAgainst?.doc.tags).toEqual([{ key: 'team', value: 'a' }]);

    const other = tagged([{ key: 'team', value: 'b' }]);
    const changed = await findComparison({
      base: templateBase(rendered),
      rendered,
      currentTaskDefinitionArn: arn('web:1'),
      describe: other.describe,
      warn: () => {},
    });
    expect(changed.reuse).toBeUndefined();
    expect(changed.diffAgainst?.doc.tags).toEqual([{ key: 'team', value: 'b' }]);
  });

  it('a template without tags ignores the revision tags', async () => {
    const ecs = tagged([{ key: 'team', value: 'a' }]);
    const out = await findComparison({
      base: templateBase(td('app:1')),
      rendered: td('app:1'),
      currentTaskDefinitionArn: arn('web:1'),
      describe: ecs.describe,
      warn: () => {},
    });
    expect(out.reuse).toStrictEqual({ doc: td('app:1'), arn: arn('web:1') });
  });

  it('a registered base is compared with its tags when the render carries tags', async () => {
    const rendered = td('app:1', { tags: [{ key: 'team', value: 'a' }] });
    const base: Base = { ...registeredBase('web:1', 'app:1'), tags: [{ key: 'team', value: 'a' }] };
    const ecs = fakeEcs({});
    const out = await findComparison({
      base,
      rendered,
      currentTaskDefinitionArn: undefined,
      describe: ecs.describe,
      warn: () => {},
    });
    expect(out.reuse).toStrictEqual({ doc: rendered, arn: arn('web:1') });
    expect(ecs.calls).toEqual([]);
  });
});

describe('findComparison: errors', () => {
  it('access denied warns once and describes nothing more', async () => {
    const calls: string[] = [];
    const describe = async (ref: string): Promise<DescribedTaskDefinition> => {
      calls.push(ref);
      throw accessDenied();
    };
    const { warn, warnings } = collect();
    const out = await findComparison({
      base: templateBase(td('app:1')),
      rendered: td('app:1'),
      currentTaskDefinitionArn: arn('web:1'),
      describe,
      warn,
    });
    expect(out).toStrictEqual({});
    expect(calls).toEqual([arn('web:1')]);
    expect(warnings).toEqual([
      `Could not read ${arn('web:1')} to compare with it (ecs:DescribeTaskDefinition is not allowed), so a new revision may be registered even if nothing changed.`,
    ]);
  });

  it('access denied on the service revision still diffs against a registered base', async () => {
    const describe = async (): Promise<DescribedTaskDefinition> => {
      throw accessDenied();
    };
    const { warn, warnings } = collect();
    const out = await findComparison({
      base: registeredBase('web:2', 'app:2'),
      rendered: td('app:2'),
      currentTaskDefinitionArn: arn('web:1'),
      describe,
      warn,
    });
    expect(out).toStrictEqual({
      diffAgainst: { doc: td('app:2'), arn: arn('web:2') },
      reuse: { doc: td('app:2'), arn: arn('web:2') },
    });
    expect(warnings).toHaveLength(1);
  });

  it('access denied on the family warns and compares with nothing', async () => {
    const describe = async (): Promise<DescribedTaskDefinition> => {
      throw accessDenied();
    };
    const { warn, warnings } = collect();
    const out = await findComparison({
      base: templateBase(td('app:1')),
      rendered: td('app:1'),
      currentTaskDefinitionArn: undefined,
      describe,
      warn,
    });
    expect(out).toStrictEqual({});
    expect(warnings).toEqual([
      'Could not read web to compare with it (ecs:DescribeTaskDefinition is not allowed), so a new revision may be registered even if nothing changed.',
    ]);
  });

  it('a service revision that cannot be described is an error, not "no revision yet"', async () => {
    const ecs = fakeEcs({});
    await expect(
      findComparison({
        base: templateBase(td('app:1')),
        rendered: td('app:1'),
        currentTaskDefinitionArn: arn('web:1'),
        describe: ecs.describe,
        warn: () => {},
      }),
    ).rejects.toThrow(AwsCallError);
  });

  it('other errors are thrown', async () => {
    const describe = async (): Promise<DescribedTaskDefinition> => {
      throw new Error('boom');
    };
    await expect(
      findComparison({
        base: templateBase(td('app:1')),
        rendered: td('app:1'),
        currentTaskDefinitionArn: undefined,
        describe,
        warn: () => {},
      }),
    ).rejects.toThrow('boom');
  });
});
