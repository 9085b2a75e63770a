// Parsers for the container's environment: variables (and whether they replace the template's),
// secrets and S3 environment files.

import { envFileArnProblem, secretValueFromProblem } from '../taskdef/references.js';
import { MAX_ENV_FILES } from '../taskdef/rules-env.js';
import { partitionProblem } from './arns.js';
import { parseEnum, parsePairsInput, toChanges, type InputParser } from './context.js';
import { meaningfulLines, parseList, parsePairs, type PairSyntax } from './lines.js';

const ENVIRONMENT: PairSyntax = { form: 'NAME=value', noun: 'variable', allowRemove: true };

export const parseEnvironment: InputParser = (value, ctx) => ({
  environment: toChanges(parsePairsInput(value, ENVIRONMENT, ctx)),
});

/** `environment-variables-mode`, and what `replace` asks of `environment-variables`. */
export const parseEnvironmentMode: InputParser = (value, ctx) => {
  const environmentMode = parseEnum(value, ['merge', 'replace'] as const, ctx) ?? 'merge';
  if (environmentMode === 'replace') {
    const variables = ctx.raw('environment-variables');
    // Parsed again for the line numbers; its own problems were reported by parseEnvironment.
    for (const { line } of parsePairs(variables, ENVIRONMENT).remove) {
      ctx.failOn(
        'environment-variables',
        `line ${line}: a -NAME line has no effect with environment-variables-mode replace, which keeps only the variables given; delete the line.`,
      );
    }
    if (meaningfulLines(variables).length === 0) {
      // Almost always an expression that came out empty; wiping every variable must be explicit.
      ctx.fail(
        'replace needs environment-variables: with none given, every variable of the container would be removed.',
      );
    }
  }
  return { environmentMode };
};

// Characters of SSM parameter names and ARNs, Secrets Manager secret names and ARNs. A valueFrom
// with any other character is not a reference, and may well be the secret itself pasted by
// mistake: it is never repeated in a message.
const REFERENCE_CHARACTERS = /^[A-Za-z0-9/_+=.@:,-]+$/;

/** Why a non-empty `secrets` valueFrom cannot be used; worded to follow `line N (secret "NAME"): `. */
function secretProblem(valueFrom: string, region: string | undefined): string | undefined {
  if (!REFERENCE_CHARACTERS.test(valueFrom)) {
    return 'the valueFrom is not an SSM parameter name or ARN, nor a Secrets Manager secret ARN (it has characters none of them can have, so it is not repeated here); give a reference to the secret, never the secret itself.';
  }
  return secretValueFromProblem(valueFrom) ?? partitionProblem(valueFrom, region);
}

export const parseSecrets: InputParser = (value, ctx) => {
  const parsed = parsePairsInput(value, { form: 'NAME=valueFrom', noun: 'secret', allowRemove: true }, ctx);
  for (const { line, name, value: valueFrom } of parsed.set) {
    if (valueFrom === '') {
      ctx.fail(`line ${line}: secret "${name}" has no valueFrom after "=".`);
      continue;
    }
    // Name the secret: its line is found at a glance, and the name is never the sensitive part.
    const reason = secretProblem(valueFrom, ctx.options.region);
    if (reason) ctx.fail(`line ${line} (secret "${name}"): ${reason}`);
  }
  return { secrets: toChanges(parsed) };
};

export const parseEnvFiles: InputParser = (value, ctx) => {
  const parsed = parseList(value, 'env file');
  for (const message of parsed.problems) ctx.fail(message);
  for (const { line, text } of [...parsed.add, ...parsed.remove]) {
    const reason = envFileArnProblem(text) ?? partitionProblem(text, ctx.options.region);
    if (reason) ctx.fail(`line ${line}: ${reason}`);
  }
  if (parsed.add.length > MAX_ENV_FILES) {
    ctx.fail(
      `${parsed.add.length} files are given; a container takes at most ${MAX_ENV_FILES} environment files.`,
    );
  }
  return {
    envFiles: { add: parsed.add.map(({ text }) => text), remove: parsed.remove.map(({ text }) => text) },
  };
};
