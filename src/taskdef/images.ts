// Container image references: `[registry[:port]/]path[:tag][@sha256:digest]`, following the
// Docker reference grammar closely enough that a registry port (`localhost:5000/app`) is never
// mistaken for a tag, and a `:tag` or `@digest` change keeps the repository it is applied to.
// This is the one place image references are checked: the action inputs (`image`, `images`),
// rendering and task definition validation all call it. The reasons it returns are clauses
// ("the tag after ':' is empty"), for the caller to frame with the input or field it names.

export interface ImageReference {
  /** Registry (if any) and repository path, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/web`. */
  name: string;
  tag?: string;
  /** `sha256:` and 64 lowercase hex characters. */
  digest?: string;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
// Lower-case hex only, as the OCI spec and registries write digests; upper case is refused at registration.
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const HOST = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*(?::[0-9]+)?$`);
/** ECS allows 255 characters before an optional `@digest` (docs/ecs-behaviour.md, "Containers"). */
export const MAX_IMAGE_LENGTH = 255;

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function checkTag(tag: string): string | undefined {
  if (tag === '') return "the tag after ':' is empty";
  if (!TAG.test(tag))
    return `the tag '${tag}' may have only letters, digits, '_', '.' and '-' (up to 128, not starting with '.' or '-')`;
  return undefined;
}

function checkDigest(digest: string): string | undefined {
  return DIGEST.test(digest)
    ? undefined
    : "the digest after '@' must be 'sha256:' followed by 64 lowercase hex characters";
}

function checkName(name: string): string | undefined {
  if (name === '') return 'the repository name is empty';
  const parts = name.split('/');
  if (parts.some((p) => p === '')) return "the repository name has an empty part between '/'";
  // As in Docker: the first part is a registry host when it has a '.' or a ':' or is localhost.
  const first = parts[0];
  const isHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (isHost && !HOST.test(first))
    return `the registry '${first}' is not a host name with an optional numeric port`;
  for (const part of isHost ? parts.slice(1) : parts) {
    if (!PATH_COMPONENT.test(part)) {
      return `the repository part '${part}' may have only lowercase letters, digits and single '.', '_' or '-' between them`;
    }
  }
  return undefined;
}

/** Parses a full image reference. */
export function parseImageReference(ref: string): Parsed<ImageReference> {
  if (ref === '') return fail('it is empty');
  if (/\s/.test(ref)) return fail('it contains whitespace');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const bad = checkDigest(digest);
    if (bad) return fail(bad);
  }
  if (rest.length > MAX_IMAGE_LENGTH) {
    return fail(
      `it is ${rest.length} characters long${at >= 0 ? ' before the digest' : ''}; ECS allows at most ${MAX_IMAGE_LENGTH}`,
    );
  }
  let tag: string | undefined;
  // A ':' after the last '/' starts the tag; one before it belongs to a registry port.
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    const bad = checkTag(tag);
    if (bad) return fail(bad);
  }
  const bad = checkName(rest);
  if (bad) return fail(bad);
  return {
    ok: true,
    value: { name: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) },
  };
}

/** Parses `:tag`, `@sha256:...` or `:tag@sha256:...`, the forms that keep the current repository. */
function parseSuffix(spec: string): Parsed<{ tag?: string; digest?: string }> {
  if (/\s/.test(spec)) return fail('it contains whitespace');
  const at = spec.indexOf('@');
  const tagPart = at < 0 ? spec : spec.slice(0, at);
  const digest = at < 0 ? undefined : spec.slice(at + 1);
  const tag = tagPart.startsWith(':') ? tagPart.slice(1) : undefined;
  const bad =
    (tag !== undefined ? checkTag(tag) : undefined) ??
    (digest !== undefined ? checkDigest(digest) : undefined);
  if (bad) return fail(bad);
  return {
    ok: true,
    value: { ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) },
  };
}

export function formatImageReference(ref: ImageReference): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** True for `:tag` and `@digest`, the forms that need the container's current image. */
export function keepsRepository(spec: string): boolean {
  return spec.startsWith(':') || spec.startsWith('@');
}

/**
 * The image a container gets from `spec`. A full reference is used as given. `:tag` and
 * `@sha256:...` replace whatever tag and digest `current` has, keeping its repository (the tag
 * goes when a digest is pinned: a digest alone says exactly what runs).
 * Returns the reason as text on failure; the caller knows the input and container to name.
 */
export function applyImageSpec(current: unknown, spec: string): Parsed<string> {
  if (!keepsRepository(spec)) {
    const parsed = parseImageReference(spec);
    return parsed.ok ? { ok: true, value: spec } : parsed;
  }
  const suffix = parseSuffix(spec);
  if (!suffix.ok) return suffix;
  if (typeof current !== 'string' || current === '') {
    return fail(
      'the container has no image in the task definition to take the repository from; give a full image reference',
    );
  }
  const base = parseImageReference(current);
  if (!base.ok) {
    return fail(
      `the container's current image '${current}' is not a valid reference (${base.reason}), so its repository cannot be kept; give a full image reference`,
    );
  }
  return { ok: true, value: formatImageReference({ name: base.value.name, ...suffix.value }) };
}

/** Why `ref`, a full image reference (as a task definition holds), is malformed, or undefined. */
export function imageReferenceProblem(ref: string): string | undefined {
  const parsed = parseImageReference(ref);
  return parsed.ok ? undefined : parsed.reason;
}

/**
 * Why `spec` (a full reference, `:tag`, `@sha256:...` or `:tag@sha256:...`, as the `image` and
 * `images` inputs take) is malformed, or undefined when it is fine.
 */
export function checkImageSpec(spec: string): string | undefined {
  const parsed = keepsRepository(spec) ? parseSuffix(spec) : parseImageReference(spec);
  return parsed.ok ? undefined : parsed.reason;
}
