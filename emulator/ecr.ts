// ECR: repositories and images, enough for resolving a tag to a digest (DescribeImages), checking
// images exist (BatchGetImage) and pushing tags (PutImage), with AWS's error texts.
import { createHash } from 'node:crypto';

import { AwsError, type EcsModelOptions, type ServiceHandlers } from './core.js';

/** Non-ECS models need the same clock, place and random source as ECS, but no log sink. */
type ModelOptions = Omit<EcsModelOptions, 'logSink'>;

export interface ImageSeed {
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
}

interface Repository {
  name: string;
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
  const repos = new Map<string, Repository>();

  const repoArn = (name: string): string => `arn:aws:ecr:${region}:${accountId}:repository/${name}`;
  const repoUri = (name: string): string => `${accountId}.dkr.ecr.${region}.amazonaws.com/${name}`;

  const getRepo = (name: unknown, registryId: unknown): Repository => {
    const registry = typeof registryId === 'string' ? registryId : accountId;
    const repo = typeof name === 'string' ? repos.get(name) : undefined;
    if (!repo || registry !== accountId) {
      throw new AwsError(
        'RepositoryNotFoundException',
        `The repository with name '${String(name)}' does not exist in the registry with id '${registry}'`,
      );
    }
    return repo;
  };

  const ensureRepo = (name: string): Repository => {
    let repo = repos.get(name);
    if (!repo) {
      repo = { name, createdAt: new Date(clock.now()), images: new Map() };
      repos.set(name, repo);
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

  const detail = (repo: Repository, image: Image): Record<string, unknown> => ({
    registryId: accountId,
    repositoryName: repo.name,
    imageDigest: image.digest,
    ...(image.tags.size ? { imageTags: [...image.tags] } : {}),
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: image.pushedAt,
    imageManifestMediaType: image.mediaType,
    artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    imageStatus: 'ACTIVE',
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
    CreateRepository(input: { repositoryName?: string }) {
      const name = input.repositoryName;
      if (!name) throw new AwsError('InvalidParameterException', 'repositoryName must be specified.');
      if (repos.has(name)) {
        throw new AwsError(
          'RepositoryAlreadyExistsException',
          `The repository with name '${name}' already exists in the registry with id '${accountId}'`,
        );
      }
      const repo = ensureRepo(name);
      return { repository: repoOut(repo) };
    },

    DescribeRepositories(input: { repositoryNames?: string[]; registryId?: string }) {
      const list = input.repositoryNames?.length
        ? input.repositoryNames.map((n) => getRepo(n, input.registryId))
        : [...repos.values()];
      return { repositories: list.map(repoOut) };
    },

    DescribeImages(input: { repositoryName?: string; registryId?: string; imageIds?: ImageId[] }) {
      const repo = getRepo(input.repositoryName, input.registryId);
      if (!input.imageIds?.length)
        return { imageDetails: [...repo.images.values()].map((i) => detail(repo, i)) };
      const details = input.imageIds.map((id) => {
        const image = find(repo, id);
        if (!image) {
          // AWS prints missing members as the string 'null'.
          throw new AwsError(
            'ImageNotFoundException',
            `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} ` +
              `does not exist within the repository with name '${repo.name}' in the registry with id '${accountId}'`,
          );
        }
        return detail(repo, image);
      });
      return { imageDetails: details };
    },

    BatchGetImage(input: { repositoryName?: string; registryId?: string; imageIds?: ImageId[] }) {
      const repo = getRepo(input.repositoryName, input.registryId);
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
          registryId: accountId,
          repositoryName: repo.name,
          imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
          imageManifest: image.manifest,
          imageManifestMediaType: image.mediaType,
        });
      }
      return { images, failures };
    },

    PutImage(input: {
      repositoryName?: string;
      registryId?: string;
      imageManifest?: string;
      imageManifestMediaType?: string;
      imageTag?: string;
      imageDigest?: string;
    }) {
      const repo = getRepo(input.repositoryName, input.registryId);
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
            `with name '${repo.name}' in registry with id '${accountId}'`,
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
          registryId: accountId,
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
      repositoryArn: repoArn(repo.name),
      registryId: accountId,
      repositoryName: repo.name,
      repositoryUri: repoUri(repo.name),
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
        const repo = ensureRepo(s.repository);
        const digest = s.digest ?? imageDigest(s.repository, s.tag ?? '');
        if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
          throw new Error(
            `seed image ${s.repository}:${s.tag ?? ''}: digest must be sha256:<64 hex>, got ${digest}`,
          );
        }
        const image = addImage(repo, digest, fakeManifest(digest), MANIFEST_TYPE);
        if (s.tag) tagImage(repo, image, s.tag);
      }
    },
    tagsOf(repository, digest) {
      return [...(repos.get(repository)?.images.get(digest)?.tags ?? [])];
    },
    resolve(repository, tag) {
      const repo = repos.get(repository);
      return repo ? find(repo, { imageTag: tag })?.digest : undefined;
    },
  };
}
