// The Runner port (src/runner/runner.ts) faked once: inputs from a map, and everything the step
// says recorded in order, so a test reads the log, the outputs and the summary as a runner has them.
import type { AnnotationProperties, Runner } from '../../src/runner/runner.js';

export interface RunnerLine {
  kind: 'info' | 'warning' | 'error' | 'debug' | 'group' | 'endgroup';
  text: string;
  properties?: AnnotationProperties;
}

export class FakeRunner implements Runner {
  readonly lines: RunnerLine[] = [];
  readonly outputs: Record<string, string> = {};
  readonly secrets: string[] = [];
  readonly summaries: string[] = [];
  failed?: string;
  readonly asked: string[] = [];

  constructor(
    private readonly inputs: Record<string, string> = {},
    readonly env: Record<string, string | undefined> = {},
  ) {}

  getInput(name: string): string {
    this.asked.push(name);
    return this.inputs[name] ?? '';
  }
  info(text: string): void {
    this.lines.push({ kind: 'info', text });
  }
  warning(text: string, properties?: AnnotationProperties): void {
    this.lines.push({ kind: 'warning', text, properties });
  }
  error(text: string, properties?: AnnotationProperties): void {
    this.lines.push({ kind: 'error', text, properties });
  }
  debug(text: string): void {
    this.lines.push({ kind: 'debug', text });
  }
  startGroup(text: string): void {
    this.lines.push({ kind: 'group', text });
  }
  endGroup(): void {
    this.lines.push({ kind: 'endgroup', text: '' });
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
  }
  setSecret(value: string): void {
    this.secrets.push(value);
  }
  setFailed(message: string): void {
    this.failed = message;
  }
  async writeSummary(markdown: string): Promise<boolean> {
    this.summaries.push(markdown);
    return true;
  }

  /** Every line of one kind, in order. */
  texts(kind: RunnerLine['kind']): string[] {
    return this.lines.filter((l) => l.kind === kind).map((l) => l.text);
  }
  /** The whole log as one string, for `toContain`. */
  get log(): string {
    return this.lines.map((l) => l.text).join('\n');
  }
}
