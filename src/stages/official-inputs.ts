// Stage "official inputs": what the official deploy action's remaining inputs need before the
// gate. wait-max-delay-seconds and keep-null-value-keys change nothing here, and a debug line
// says why; the service's managed EBS volume is checked against the task definition, its
// problems returned for the gate (nothing is written to AWS before it).
import { officialInputNotes } from '../inputs/parse-official.js';
import type { Problem } from '../lib/problems.js';
import { serviceVolumeProblems } from '../rollout/service-volume.js';
import type { Draft, InputsRead, StepContext } from './context.js';
import { anyProblemIn } from './inputs.js';
import type { ServiceDefinitionRead } from './service-definition.js';

export const SERVICE_VOLUME_HEADING =
  "The service's managed EBS volume cannot be configured as given, so nothing was written to AWS";

export function officialInputsStage(
  ctx: StepContext,
  done: { inputs: InputsRead; draft: Draft; read?: ServiceDefinitionRead },
): Problem[] {
  const { inputs, draft, read } = done;
  for (const note of officialInputNotes(inputs.request)) ctx.runner.debug(note);
  // A volume input with a problem of its own is reported as such; checking it further says nothing new.
  if (anyProblemIn(inputs.problems, ['service-managed-ebs-volume-name', 'service-managed-ebs-volume'])) {
    return [];
  }
  return serviceVolumeProblems({
    request: inputs.request,
    taskDefinition: draft.taskDefinition,
    serviceDefinition: read?.kind === 'loaded' ? read.definition?.doc : undefined,
  });
}
