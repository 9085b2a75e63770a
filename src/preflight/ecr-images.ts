// Which registry an image reference points at: a private ECR registry (any account, any region)
// is checked; Docker Hub, ECR Public and other registries are not (docs/ecs-behaviour.md,
// "Preflight").
import { parseImageReference } from '../taskdef/images.js';

export interface EcrImage {
  registryId: string;
  region: string;
  repository: string;
  /** The repository URI, without tag or digest. */
  name: string;
  tag?: string;
  digest?: string;
}

/** `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`. */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

export type ImageRegistry = { ecr: EcrImage } | { notChecked: string };

export function imageRegistry(image: string): ImageRegistry {
  const parsed = parseImageReference(image);
  if (!parsed.ok) return { notChecked: `not checked: ${parsed.reason}` };
  const { name, tag, digest } = parsed.value;
  const slash = name.indexOf('/');
  const host = slash > 0 ? name.slice(0, slash) : '';
  const m = ECR_HOST.exec(host);
  if (m) {
    return {
      ecr: { registryId: m[1], region: m[2], repository: name.slice(slash + 1), name, tag, digest },
    };
  }
  if (host === 'public.ecr.aws')
    return { notChecked: 'not checked: ECR Public (only private ECR registries are checked)' };
  const isHost = host !== '' && (host.includes('.') || host.includes(':') || host === 'localhost');
  if (!isHost || host === 'docker.io' || host === 'registry-1.docker.io') {
    return { notChecked: 'not checked: Docker Hub (only private ECR registries are checked)' };
  }
  return { notChecked: `not checked: registry ${host} is not ECR (only private ECR registries are checked)` };
}
