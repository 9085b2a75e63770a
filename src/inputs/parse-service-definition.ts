// Parsers for the service definition: a file in the CreateService shape that creates or updates
// the service itself (src/servicedef/), and the switch that lets a missing service be created.

import { parseBoolean, type InputParser } from './context.js';

/** `service-definition`: the path of a JSON or YAML file, relative to the workspace. */
export const parseServiceDefinition: InputParser = (value) => ({
  serviceDefinitionPath: value || undefined,
});

/**
 * `create-service`: off by default, so that a typo in a service name never creates a stray
 * service. It means nothing without a service definition, which says how to create it.
 */
export const parseCreateService: InputParser = (value, ctx) => {
  const createService = parseBoolean(value, ctx) ?? false;
  if (createService && ctx.raw('service-definition') === '') {
    ctx.fail('create-service needs service-definition: the file says how the service is created.');
  }
  // Set only when true, so a request without it reads as before.
  return createService ? { createService } : {};
};
