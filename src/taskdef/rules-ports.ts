// Port mapping rules (reference/ecs-semantics.md §4.4 and the SDK's PortMapping doc): ranges,
// protocols, what each network mode allows for hostPort, and ports mapped twice.

import { checkRange, read, readObjects, type Container, type Reporter } from './rules-read.js';

const PROTOCOLS = ['tcp', 'udp'];
const APP_PROTOCOLS = ['http', 'http2', 'grpc'];
// Service Connect port names: up to 64 of a-z 0-9 _ -, not starting with a hyphen.
const PORT_NAME = /^[a-z0-9_][a-z0-9_-]{0,63}$/;

export function checkPorts(c: Container, networkMode: string, r: Reporter): void {
  const mappings = readObjects(c.def, 'portMappings', c.path, r);
  if (networkMode === 'none' && Array.isArray(c.def.portMappings) && c.def.portMappings.length > 0) {
    r.error(
      [...c.path, 'portMappings'],
      `${c.label} has port mappings, but with networkMode none a container cannot have any; remove portMappings or use another network mode.`,
    );
    return;
  }
  // containerPort -> protocols and the first mapping that used it, to find repeats.
  const seen = new Map<number, Map<string, number>>();
  for (const { item, path, index } of mappings) {
    const containerPort = read(item, 'containerPort', 'integer', path, r);
    const hostPort = read(item, 'hostPort', 'integer', path, r);
    const protocolValue = read(item, 'protocol', 'string', path, r);
    const name = read(item, 'name', 'string', path, r);
    const appProtocol = read(item, 'appProtocol', 'string', path, r);
    const hasRange = item.containerPortRange !== undefined && item.containerPortRange !== null;

    if (
      containerPort === undefined &&
      !hasRange &&
      (item.containerPort === undefined || item.containerPort === null)
    ) {
      r.error(
        path,
        `${c.label} has a port mapping without containerPort; give the port the container listens on.`,
      );
    }
    checkRange(containerPort, 1, 65535, [...path, 'containerPort'], r, 'containerPort');
    checkRange(hostPort, 0, 65535, [...path, 'hostPort'], r, 'hostPort');
    if (protocolValue !== undefined && !PROTOCOLS.includes(protocolValue)) {
      r.error(
        [...path, 'protocol'],
        `protocol '${protocolValue}' is not valid: use "tcp" or "udp" (lower case).`,
      );
    }
    if (appProtocol !== undefined && !APP_PROTOCOLS.includes(appProtocol)) {
      r.error(
        [...path, 'appProtocol'],
        `appProtocol '${appProtocol}' is not valid: use http, http2 or grpc.`,
      );
    }
    if (name !== undefined && !PORT_NAME.test(name)) {
      r.error(
        [...path, 'name'],
        `Port mapping name '${name}' is not valid: use up to 64 lowercase letters, digits, _ and -, not starting with -.`,
      );
    }
    if (
      (networkMode === 'awsvpc' || networkMode === 'host') &&
      hostPort !== undefined &&
      hostPort !== containerPort
    ) {
      const fix =
        containerPort === undefined ? 'Remove hostPort' : `Remove hostPort or set it to ${containerPort}`;
      r.error(
        [...path, 'hostPort'],
        `When networkMode=${networkMode}, the host ports and container ports in port mappings must match. ${fix} (it is ${hostPort}).`,
      );
    }
    if (containerPort === undefined) continue;
    const protocol = protocolValue ?? 'tcp';
    const protocols = seen.get(containerPort) ?? new Map<string, number>();
    const same = protocols.get(protocol);
    if (same !== undefined) {
      r.error(
        [...path, 'containerPort'],
        `${c.label} maps containerPort ${containerPort}/${protocol} twice (also portMappings[${same}]); remove one of the mappings.`,
      );
    } else if (protocols.size > 0) {
      // The SDK doc says a container port can't be exposed for several protocols; ECS's own
      // enforcement of it is not confirmed, so this warns instead of blocking the deployment.
      r.warn(
        [...path, 'containerPort'],
        `${c.label} maps containerPort ${containerPort} for both ${[...protocols.keys()].join(', ')} and ${protocol}; ` +
          'the ECS documentation says a container port cannot be exposed for multiple protocols, so registration may fail.',
      );
    }
    if (same === undefined) protocols.set(protocol, index);
    seen.set(containerPort, protocols);
  }
}
