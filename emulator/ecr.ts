// ECR: repositories and images, enough for resolving a tag to a digest (DescribeImages), checking
// images exist (BatchGetImage), their scan findings (DescribeImageScanFindings) and pushing tags
// (PutImage), with AWS's error texts. Repositories live in an account (registry) and a region;
// another account's repository is readable only when seeded `sharedWith` the caller.
import { createHash } from 'node:crypto';

import { crossAccountDenied, placeKey, placeOf, readableBy, type Place, type Placement } from './access.js';
import { AwsError, type EcsModelOptions, type RequestContext, type ServiceHandlers } from './core.js';
import { scanFindingsPage, scanFromSeed, scanSummary, type Scan, type ScanSeed } from './ecr-scan.js';

/** Non-ECS models need the same clock, place and random source as ECS, but no log sink. */
type ModelOptions = Omit<EcsModelOptions, 'logSink'>;

export interface ImageSeed extends Placement, ScanSeed {
  repository: string;
  tag?: string;
  /** `sha256:<64 hex>`; default: derived from repository and tag, so it is stable across runs. */
  digest?: string;
}

interface Image {
  digest: string;
  tags: Set<string>;
  manifest: string;
  mediaType: string;
  pushedAt: Date;
  sizeInBytes: number;
  /** A basic scan's result; images pushed with PutImage have none (scan on push is off). */
  scan?: Scan;
}

interface Repository {
  name: string;
  place: Place;
  sharedWith: string[];
  createdAt: Date;
  /** By digest. */
  images: Map<string, Image>;
}

export interface EcrModel {
  handlers: ServiceHandlers;
  seed(images: ImageSeed[]): void;
  /** The digest a tag points at, if any (for tests). */
  resolve(repository: string, tag: string): string | undefined;
  /** The tags of an image, by digest (lets the ECS model see the tag behind a pinned digest). */
  tagsOf(repository: string, digest: string): string[];
}

const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

/** A deterministic digest for a seeded image without one. */
export function imageDigest(repository: string, tag: string): string {
  return `sha256:${createHash('sha256').update(`${repository}:${tag}`).digest('hex')}`;
}

export function createEcrModel(opts: ModelOptions): EcrModel {
  const { clock, region, accountId } = opts;
  const home: Place = { accountId, region };
  /** By placeKey(place, name). */
  const repos = new Map<string, Repository>();

  const repoArn = (place: Place, name: string): string =>
    `arn:aws:ecr:${place.region}:${place.accountId}:repository/${name}`;
  const repoUri = (place: Place, name: string): string =>
    `${place.accountId}.dkr.ecr.${place.region}.amazonaws.com/${name}`;

  /**
   * The repository a request names, in `registryId` (default the caller's) and the request's
   * region. Another account's existing repository without a policy for the caller is an
   * AccessDeniedException; a missing one is RepositoryNotFoundException naming that registry.
   */
  const getRepo = (name: unknown, registryId: unknown, ctx: RequestContext): Repository => {
    const place = {
      accountId: typeof registryId === 'string' ? registryId : ctx.accountId,
      region: ctx.region,
    };
    const repo = typeof name === 'string' ? repos.get(placeKey(place, name)) : undefined;
    if (!repo) {
      throw new AwsError(
        'RepositoryNotFoundException',
        `The repository with name '${String(name)}' does not exist in the registry with id '${place.accountId}'`,
      );
    }
    if (!readableBy(ctx.accountId, place.accountId, repo.sharedWith)) {
      throw crossAccountDenied(`ecr:${ctx.operation}`, repoArn(place, repo.name), ctx.accountId);
    }
    return repo;
  };

  const ensureRepo = (name: string, place: Place = home): Repository => {
    let repo = repos.get(placeKey(place, name));
    if (!repo) {
      repo = { name, place, sharedWith: [], createdAt: new Date(clock.now()), images: new Map() };
      repos.set(placeKey(place, name), repo);
    }
    return repo;
  };

  /** Point `tag` at `digest`, moving it off any other image (tags are mutable by default). */
  const tagImage = (repo: Repository, image: Image, tag: string): void => {
    for (const other of repo.images.values()) other.tags.delete(tag);
    image.tags.add(tag);
  };

  const addImage = (repo: Repository, digest: string, manifest: string, mediaType: string): Image => {
    let image = repo.images.get(digest);
    if (!image) {
      image = {
        digest,
        tags: new Set(),
        manifest,
        mediaType,
        pushedAt: new Date(clock.now()),
        sizeInBytes: 30_000_000 + (parseInt(digest.slice(7, 13), 16) % 50_000_000),
      };
      repo.images.set(digest, image);
    }
    return image;
  };

  type ImageId = { imageTag?: string; imageDigest?: string };
  const find = (repo: Repository, id: ImageId): Image | undefined => {
    if (id.imageDigest) {
      const image = repo.images.get(id.imageDigest);
      return image && (!id.imageTag || image.tags.has(id.imageTag)) ? image : undefined;
    }
    if (id.imageTag) return [...repo.images.values()].find((i) => i.tags.has(id.imageTag!));
    return undefined;
  };

  const notFound = (repo: Repository, id: ImageId): AwsError =>
    // AWS prints missing members as the string 'null'.
    new AwsError(
      'ImageNotFoundException',
      `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} ` +
        `does not exist within the repository with name '${repo.name}' in the registry with id '${repo.place.accountId}'`,
    );

  const detail = (repo: Repository, image: Image): Record<string, unknown> => ({
    registryId: repo.place.accountId,
    repositoryName: repo.name,
    imageDigest: image.digest,
    ...(image.tags.size ? { imageTags: [...image.tags] } : {}),
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: image.pushedAt,
    imageManifestMediaType: image.mediaType,
    artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    imageStatus: 'ACTIVE',
    ...scanSummary(image.scan, clock.now()),
  });

  const fakeManifest = (seed: string): string =>
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        size: 1469,
        digest: `sha256:${createHash('sha256').update(`config:${seed}`).digest('hex')}`,
      },
      layers: [],
    });

  const handlers: ServiceHandlers = {
    CreateRepository(input: { repositoryName?: string }, ctx: RequestContext) {
      const name = input.repositoryName;
      if (!name) throw new AwsError('InvalidParameterException', 'repositoryName must be specified.');
      const place = { accountId: ctx.accountId, region: ctx.region };
      if (repos.has(placeKey(place, name))) {
        throw new AwsError(
          'RepositoryAlreadyExistsException',
          `The repository with name '${name}' already exists in the registry with id '${ctx.accountId}'`,
        );
      }
      const repo = ensureRepo(name, place);
      return { repository: repoOut(repo) };
    },

    DescribeRepositories(input: { repositoryNames?: string[]; registryId?: string }, ctx: RequestContext) {
      const registry = input.registryId ?? ctx.accountId;
      const list = input.repositoryNames?.length
        ? input.repositoryNames.map((n) => getRepo(n, input.registryId, ctx))
        : [...repos.values()].filter(
            (r) =>
              r.place.accountId === registry &&
              r.place.region === ctx.region &&
              readableBy(ctx.accountId, registry, r.sharedWith),
          );
      return { repositories: list.map(repoOut) };
    },

    DescribeImages(
      input: { repositoryName?: string; registryId?: string; imageIds?: ImageId[] },
      ctx: RequestContext,
    ) {
      const repo = getRepo(input.repositoryName, input.registryId, ctx);
      if (!input.imageIds?.length)
        return { imageDetails: [...repo.images.values()].map((i) => detail(repo, i)) };
      const details = input.imageIds.map((id) => {
        const image = find(repo, id);
        if (!image) throw notFound(repo, id);
        return detail(repo, image);
      });
      return { imageDetails: details };
    },

    DescribeImageScanFindings(
      input: {
        repositoryName?: string;
        registryId?: string;
        imageId?: ImageId;
        maxResults?: number;
        nextToken?: string;
      },
      ctx: RequestContext,
    ) {
      const repo = getRepo(input.repositoryName, input.registryId, ctx);
      const id = input.imageId ?? {};
      const image = find(repo, id);
      if (!image) throw notFound(repo, id);
      const imageId = { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) };
      if (!image.scan) {
        throw new AwsError(
          'ScanNotFoundException',
          `Image scan does not exist for the image with '{imageDigest:'${image.digest}', imageTag:'${id.imageTag ?? 'null'}'}' ` +
            `in the repository with name '${repo.name}' in the registry with id '${repo.place.accountId}'`,
        );
      }
      return {
        registryId: repo.place.accountId,
        repositoryName: repo.name,
        imageId,
        ...scanFindingsPage(image.scan, clock.now(), input),
      };
    },

    BatchGetImage(
      input: { repositoryName?: string; registryId?: string; imageIds?: ImageId[] },
      ctx: RequestContext,
    ) {
      const repo = getRepo(input.repositoryName, input.registryId, ctx);
      const images: unknown[] = [];
      const failures: unknown[] = [];
      // Missing images are reported per id, never as an exception.
      for (const id of input.imageIds ?? []) {
        if (!id.imageDigest && !id.imageTag) {
          failures.push({
            imageId: id,
            failureCode: 'MissingDigestAndTag',
            failureReason: 'Missing digest and tag',
          });
          continue;
        }
        const image = find(repo, id);
        if (!image) {
          failures.push({
            imageId: id,
            failureCode: 'ImageNotFound',
            failureReason: 'Requested image not found',
          });
          continue;
        }
        images.push({
          registryId: repo.place.accountId,
          repositoryName: repo.name,
          imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
          imageManifest: image.manifest,
          imageManifestMediaType: image.mediaType,
        });
      }
      return { images, failures };
    },

    PutImage(
      input: {
        repositoryName?: string;
        registryId?: string;
        imageManifest?: string;
        imageManifestMediaType?: string;
        imageTag?: string;
        imageDigest?: string;
      },
      ctx: RequestContext,
    ) {
      const repo = getRepo(input.repositoryName, input.registryId, ctx);
      if (!input.imageManifest)
        throw new AwsError('InvalidParameterException', 'imageManifest must be specified.');
      // As in ECR, the digest is the SHA-256 of the manifest bytes.
      const digest = `sha256:${createHash('sha256').update(input.imageManifest).digest('hex')}`;
      if (input.imageDigest && input.imageDigest !== digest) {
        throw new AwsError(
          'ImageDigestDoesNotMatchException',
          `The digest ${input.imageDigest} does not match the digest of the manifest, ${digest}.`,
        );
      }
      const existing = repo.images.get(digest);
      if (existing && (!input.imageTag || existing.tags.has(input.imageTag))) {
        throw new AwsError(
          'ImageAlreadyExistsException',
          `Image with digest '${digest}' and tag '${input.imageTag ?? 'null'}' already exists in the repository ` +
            `with name '${repo.name}' in registry with id '${repo.place.accountId}'`,
        );
      }
      const image = addImage(
        repo,
        digest,
        input.imageManifest,
        input.imageManifestMediaType ?? MANIFEST_TYPE,
      );
      if (input.imageTag) tagImage(repo, image, input.imageTag);
      return {
        image: {
          registryId: repo.place.accountId,
          repositoryName: repo.name,
          imageId: { imageDigest: digest, ...(input.imageTag ? { imageTag: input.imageTag } : {}) },
          imageManifest: image.manifest,
          imageManifestMediaType: image.mediaType,
        },
      };
    },
  };

  function repoOut(repo: Repository): Record<string, unknown> {
    return {
      repositoryArn: repoArn(repo.place, repo.name),
      registryId: repo.place.accountId,
      repositoryName: repo.name,
      repositoryUri: repoUri(repo.place, repo.name),
      createdAt: repo.createdAt,
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: 'AES256' },
    };
  }

  return {
    handlers,
    seed(images) {
      for (const s of images) {
        const what = `${s.repository}:${s.tag ?? ''}`;
        const repo = ensureRepo(s.repository, placeOf(s, home, `image ${what}`));
        // Sharing is a repository policy: any seeded image of the repository may grant it.
        for (const a of s.sharedWith ?? []) if (!repo.sharedWith.includes(a)) repo.sharedWith.push(String(a));
        const digest = s.digest ?? imageDigest(s.repository, s.tag ?? '');
        if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
          throw new Error(`seed image ${what}: digest must be sha256:<64 hex>, got ${digest}`);
        }
        const image = addImage(repo, digest, fakeManifest(digest), MANIFEST_TYPE);
        if (s.tag) tagImage(repo, image, s.tag);
        const scan = scanFromSeed(s, clock.now(), what);
        if (scan) image.scan = scan;
      }
    },
    tagsOf(repository, digest) {
      return [...(repos.get(placeKey(home, repository))?.images.get(digest)?.tags ?? [])];
    },
    resolve(repository, tag) {
      const repo = repos.get(placeKey(home, repository));
      return repo ? find(repo, { imageTag: tag })?.digest : undefined;
    },
  };
}
