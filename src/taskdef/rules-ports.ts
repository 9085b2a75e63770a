// Port mapping rules (docs/ecs-behaviour.md, "Network modes and ports" the SDK's PortMapping doc): ranges,
// protocols, what each network mode allows for hostPort, and ports mapped twice.

import type { JsonObject, JsonPath } from '../lib/json.js';
import { checkRange, readerOf, readObjects, type Container, type Reporter } from './rules-read.js';

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
  // The ports mapped so far, to find repeats.
  const seen: SeenPorts = new Map();
  for (const mapping of mappings) {
    const port = checkPortMapping(c, { ...mapping, networkMode }, r);
    if (port) checkRepeatedPort(c, { ...port, path: mapping.path, index: mapping.index, seen }, r);
  }
}

/** containerPort -> protocol -> index of the first mapping that exposed it. */
type SeenPorts = Map<number, Map<string, number>>;

/** The port a mapping exposes, when it names a containerPort; `protocol` defaults to tcp. */
interface MappedPort {
  containerPort: number;
  protocol: string;
}

/** Checks the fields of one port mapping on their own, and returns the port it exposes. */
function checkPortMapping(
  c: Container,
  mapping: { item: JsonObject; path: JsonPath; networkMode: string },
  r: Reporter,
): MappedPort | undefined {
  const { item, path, networkMode } = mapping;
  const read = readerOf(item, path, r);
  const containerPort = read('containerPort', 'integer');
  const hostPort = read('hostPort', 'integer');
  const protocol = read('protocol', 'string');
  const name = read('name', 'string');
  const appProtocol = read('appProtocol', 'string');
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
  checkRange(
    { value: containerPort, min: 1, max: 65535, path: [...path, 'containerPort'], what: 'containerPort' },
    r,
  );
  checkRange({ value: hostPort, min: 0, max: 65535, path: [...path, 'hostPort'], what: 'hostPort' }, r);
  checkNamedValues({ protocol, appProtocol, name }, path, r);
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
  return containerPort === undefined ? undefined : { containerPort, protocol: protocol ?? 'tcp' };
}

/** protocol, appProtocol and name: each one of a fixed set or a fixed pattern. */
function checkNamedValues(
  values: { protocol?: string; appProtocol?: string; name?: string },
  path: JsonPath,
  r: Reporter,
): void {
  const { protocol, appProtocol, name } = values;
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) {
    r.error([...path, 'protocol'], `protocol '${protocol}' is not valid: use "tcp" or "udp" (lower case).`);
  }
  if (appProtocol !== undefined && !APP_PROTOCOLS.includes(appProtocol)) {
    r.error([...path, 'appProtocol'], `appProtocol '${appProtocol}' is not valid: use http, http2 or grpc.`);
  }
  if (name !== undefined && !PORT_NAME.test(name)) {
    r.error(
      [...path, 'name'],
      `Port mapping name '${name}' is not valid: use up to 64 lowercase letters, digits, _ and -, not starting with -.`,
    );
  }
}

/** A port mapped twice for one protocol is an error; one port for two protocols, a warning. */
function checkRepeatedPort(
  c: Container,
  port: MappedPort & { path: JsonPath; index: number; seen: SeenPorts },
  r: Reporter,
): void {
  const { containerPort, protocol, path, index, seen } = port;
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
