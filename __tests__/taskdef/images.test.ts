// images.ts is the one image reference check: the inputs, rendering and validation all use it.
// Rendering with :tag and @digest is tested in render.test.ts.
import { describe, expect, test } from '@jest/globals';
import { checkImageSpec, imageReferenceProblem } from '../../src/taskdef/images.js';

const DIGEST = `sha256:${'a1'.repeat(32)}`;
const BAD_DIGEST = "the digest after '@' must be 'sha256:' followed by 64 lowercase hex characters";
const bad = (part: string) =>
  `the repository part '${part}' may have only lowercase letters, digits and single '.', '_' or '-' between them`;
const badTag = (tag: string) =>
  `the tag '${tag}' may have only letters, digits, '_', '.' and '-' (up to 128, not starting with '.' or '-')`;

describe('imageReferenceProblem (a full reference, as a task definition holds)', () => {
  test.each([
    'nginx',
    'nginx:1.27',
    'public.ecr.aws/docker/library/nginx:1.27-alpine',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:1.2.3',
    `123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${DIGEST}`,
    `ghcr.io/org/web:1.2.3@${DIGEST}`,
    'localhost:5000/web',
    'Registry.Example.com:5000/team/a__b.c-d:V_1.x',
    `web:${'T'.repeat(128)}`,
  ])('accepts %s', (image) => {
    expect(imageReferenceProblem(image)).toBeUndefined();
  });

  test.each([
    ['', 'it is empty'],
    ['my image:1', 'it contains whitespace'],
    [`web@sha256:${'A1'.repeat(32)}`, BAD_DIGEST],
    [`web@sha256:${'a'.repeat(63)}`, BAD_DIGEST],
    [`web@md5:${'a'.repeat(32)}`, BAD_DIGEST],
    [
      `${'a'.repeat(256)}@sha256:${'b'.repeat(64)}`,
      'it is 256 characters long before the digest; ECS allows at most 255',
    ],
    [`registry.example.com/${'a'.repeat(240)}:1`, 'it is 263 characters long; ECS allows at most 255'],
    // Usually an empty ${TAG} placeholder: `repo:` would otherwise fail only when the task starts.
    ['nginx:', "the tag after ':' is empty"],
    ['web:${TAG}', badTag('${TAG}')],
    [`web:${'t'.repeat(129)}`, badTag('t'.repeat(129))],
    // ECS registers these, but Docker's reference grammar refuses them when the task starts.
    ['MyOrg/App:1', bad('MyOrg')],
    ['repo#x:1', bad('repo#x')],
    ['a//b:1', "the repository name has an empty part between '/'"],
    ['web/', "the repository name has an empty part between '/'"],
    ['web--', bad('web--')],
    [
      'bad_host.example..com/web:1',
      "the registry 'bad_host.example..com' is not a host name with an optional numeric port",
    ],
    [
      '-host.example.com/web',
      "the registry '-host.example.com' is not a host name with an optional numeric port",
    ],
    // A template never keeps another image's repository: `:tag` alone is not a reference.
    [':v1', 'the repository name is empty'],
    [`@${DIGEST}`, 'the repository name is empty'],
  ])('rejects %j: %s', (image, reason) => {
    expect(imageReferenceProblem(image)).toBe(reason);
  });

  test('a digest after 255 characters of name is fine: the limit applies before the @', () => {
    expect(imageReferenceProblem(`${'a'.repeat(255)}@sha256:${'b'.repeat(64)}`)).toBeUndefined();
  });
});

describe('checkImageSpec (the image and images inputs)', () => {
  test.each([':v2', `@${DIGEST}`, `:v2@${DIGEST}`, 'nginx:1.27', `ghcr.io/org/web:1@${DIGEST}`])(
    'accepts %s',
    (spec) => {
      expect(checkImageSpec(spec)).toBeUndefined();
    },
  );

  test.each([
    [':', "the tag after ':' is empty"],
    [':.v1', badTag('.v1')],
    ['@sha256:abc', BAD_DIGEST],
    [':v1@sha256:abc', BAD_DIGEST],
    [':v 1', 'it contains whitespace'],
    ['MyOrg/App:1', bad('MyOrg')],
    ['repo#x:1', bad('repo#x')],
    ['a//b:1', "the repository name has an empty part between '/'"],
    ['r'.repeat(256), 'it is 256 characters long; ECS allows at most 255'],
  ])('rejects %j: %s', (spec, reason) => {
    expect(checkImageSpec(spec)).toBe(reason);
  });
});
