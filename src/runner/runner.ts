// The GitHub runner as the stages see it: inputs, log lines, annotations, outputs, masking and the
// job summary. Implemented once over @actions/core (./actions.ts) and faked once for the tests
// (__tests__/fakes/runner.ts), so a whole step runs in-process in a unit test.

/** Where an annotation points: a file position, as GitHub's annotation properties take it. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

export interface Runner {
  /** An action input as the runner gives it (`''` when unset). */
  getInput(name: string): string;
  info(line: string): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  debug(line: string): void;
  startGroup(title: string): void;
  endGroup(): void;
  setOutput(name: string, value: string): void;
  /** The runner masks this value in every later log line. */
  setSecret(value: string): void;
  setFailed(message: string): void;
  /** Appends markdown to the job summary; false when there is none (outside a runner). */
  writeSummary(markdown: string): Promise<boolean>;
  /** The step's environment (placeholders, RUNNER_TEMP). */
  env: Record<string, string | undefined>;
}
