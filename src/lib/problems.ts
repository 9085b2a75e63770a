// One shape for everything that can be wrong with what the user gave us: an action input,
// a template line, a field of the rendered task definition. Problems are collected, never
// thrown one at a time, so a user fixes all of them in one round.

import { redactSecrets } from './mask.js';

export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  /**
   * A full sentence that says what is wrong and what to do. Should not quote a secret value; if
   * it does, formatProblem masks it.
   */
  message: string;
  /** The action input the problem comes from, e.g. `environment-variables`. */
  input?: string;
  /** The JSON path in the task definition, e.g. `containerDefinitions[0].portMappings[1].hostPort`. */
  path?: string;
  /** Where in the template file, 1-based; present when the value comes from the template. */
  file?: string;
  line?: number;
  column?: number;
}

/** Thrown when one or more errors make it unsafe to go on; nothing has been written to AWS. */
export class ProblemsError extends Error {
  readonly problems: Problem[];
  constructor(
    problems: Problem[],
    heading = 'The deployment was stopped before anything was written to AWS',
  ) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(
      `${heading}: ${errors.length} problem${errors.length === 1 ? '' : 's'}:\n${errors.map((p) => `  - ${formatProblem(p)}`).join('\n')}`,
    );
    this.name = 'ProblemsError';
    this.problems = problems;
  }
}

export function errorsOf(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

/**
 * `file:line:column: path: message`, leaving out what is unknown. Every way a problem reaches a
 * human (the error thrown, annotations, the job summary) goes through here, so this is where a
 * value quoted in a message (`"user:pw@registry/app" is not a valid image reference`) is masked.
 */
export function formatProblem(p: Problem): string {
  const where: string[] = [];
  if (p.file) where.push(p.line ? `${p.file}:${p.line}${p.column ? `:${p.column}` : ''}` : p.file);
  if (p.input) where.push(`input '${p.input}'`);
  if (p.path) where.push(p.path);
  const message = redactSecrets(p.message);
  return where.length ? `${where.join(' ')}: ${message}` : message;
}
