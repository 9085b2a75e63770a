// Markdown building blocks for the job summary. Everything shown comes from AWS or the user
// (reasons, events, log lines, names), so it is escaped: a stray `|` must not break a table,
// a `<` must not open HTML, a backtick run must not end a code block early.

/** Plain text as Markdown: punctuation that Markdown or HTML would act on is backslash-escaped. */
export function text(value: string): string {
  return value.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>|~#&!]/g, '\\$&');
}

/**
 * An inline code span. `inTable` escapes `|` as `\|`, which GFM resolves before the cell is
 * parsed, so it works even inside code; outside a table the backslash would show literally.
 */
export function code(value: string, inTable = false): string {
  const flat = value.replace(/\r?\n/g, ' ');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  const body = inTable ? flat.replace(/\|/g, '\\|') : flat;
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block that no line of `lines` can close early. */
export function codeBlock(lines: string[], language = ''): string {
  const longestRun = Math.max(0, ...lines.flatMap((l) => l.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [`${fence}${language}`, ...lines, fence].join('\n');
}

/** A link; the label is Markdown already (escaped by the caller). */
export function link(label: string, url: string): string {
  return `[${label}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
}

/** A two-column table of label / Markdown value rows, for the facts of a run. */
export function factTable(rows: [string, string][]): string {
  return ['| | |', '| --- | --- |', ...rows.map(([label, value]) => `| ${label} | ${cell(value)} |`)].join(
    '\n',
  );
}

/** A table with a header row; cells are Markdown already. */
export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** A table cell must stay on one line: line breaks become `<br>`. */
function cell(markdown: string): string {
  return markdown.replace(/\r?\n/g, '<br>');
}

/** A collapsible section; the blank lines let GitHub render the Markdown inside it. */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
