// How the demo prints: the step log line by line as it arrives, banners between the steps, and
// the stage timeline picked out of a job summary.

/**
 * The runner consumes `::add-mask::` commands and never shows them in the step log: neither does
 * the demo (they carry the value being masked).
 */
const shownByRunner = (line: string): boolean => !line.startsWith('::add-mask::');

/**
 * Prefixes each complete line of a stream of chunks, holding back a line until its end arrives,
 * and leaves out the lines the runner would not show.
 */
export function linePrefixer(prefix: string): { write(chunk: string): void; flush(): void } {
  let pending = '';
  const print = (line: string): void => {
    if (shownByRunner(line)) process.stdout.write(`${prefix}${line}\n`);
  };
  return {
    write(chunk) {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(print);
    },
    flush() {
      if (pending) print(pending);
      pending = '';
    },
  };
}

export function banner(text: string, rule = '─'): void {
  const line = rule.repeat(Math.min(100, text.length + 4));
  console.log(`\n${line}\n  ${text}\n${line}`);
}

/**
 * The stage table of the job summary's "Deployment stages" section (a blue/green, linear or canary
 * deployment's timeline: each stage, when it began, how long it lasted, the traffic split), its
 * code marks dropped for the terminal; empty when the summary has none.
 */
export function stageTimeline(summary: string): string[] {
  const section = summary.split(/\n(?=### )/).find((s) => s.startsWith('### Deployment stages'));
  if (!section) return [];
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| Stage'));
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start, end < 0 ? undefined : end).map((line) => `  ${line.replace(/`/g, '')}`);
}
