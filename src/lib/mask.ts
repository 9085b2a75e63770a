// Masking of values that could be secret, for everything the action shows a human: the plan's
// diff, the job summary, log lines, problem messages. Values are hidden for their name
// (secret-names.ts) or their shape (secret-shapes.ts). Real secrets should come from `secrets`
// (references, never values); these rules catch the ones that did not.

import type { DeployRequest } from './request.js';
import { isSecretFlag, secretLikeName } from './secret-names.js';
import { secretSpans } from './secret-shapes.js';

export { isSecretFlag, secretLikeName } from './secret-names.js';

/** What a hidden value is shown as; the same text the runner uses for `core.setSecret` values. */
export const MASK = '***';

/**
 * Hides secrets that sit inside otherwise harmless text: tokens and keys by their shape,
 * credentials in URLs and image references, PEM private keys, bearer tokens, `PASSWORD=...`-style
 * assignments and the value after a secret-looking flag (command lines, log lines, connection
 * strings, messages). Text without any of these comes back unchanged.
 */
export function redactSecrets(text: string): string {
  let out = '';
  let last = 0;
  for (const span of secretSpans(text)) {
    out += `${text.slice(last, span.start)}${MASK}`;
    last = span.end;
  }
  return out + text.slice(last);
}

/** The secrets found in `text` by redactSecrets, for registering with the runner. */
export function secretValuesIn(text: string): string[] {
  return secretSpans(text).map((span) => text.slice(span.start, span.end));
}

/**
 * The value to show for `name`: all of it hidden when the name looks secret, otherwise the
 * value with any embedded secrets redacted (a `DATABASE_URL` with a password in it).
 */
export function maskValue(name: string, value: string): string {
  if (secretLikeName(name)) return MASK;
  return redactSecrets(value);
}

/**
 * Where the secret arguments of a command are: `--db-password=x` (the part after `=`) and the
 * argument after `--db-password` or `--token` (unless it starts with `-`: then it is the next
 * flag, and the first was a switch). Flags as isSecretFlag decides.
 */
function secretArgumentPlaces(args: readonly string[]): { index: number; prefix: string }[] {
  const places: { index: number; prefix: string }[] = [];
  args.forEach((arg, i) => {
    const eq = arg.indexOf('=');
    if (arg.startsWith('-') && eq > 0) {
      if (eq < arg.length - 1 && isSecretFlag(arg.slice(0, eq)))
        places.push({ index: i, prefix: arg.slice(0, eq + 1) });
    } else if (
      isSecretFlag(arg) &&
      i + 1 < args.length &&
      args[i + 1] !== '' &&
      !args[i + 1].startsWith('-')
    ) {
      places.push({ index: i + 1, prefix: '' });
    }
  });
  return places;
}

/** A command (or entry point) as shown: secret flag values and secret-shaped arguments hidden. */
export function maskArguments(args: readonly string[]): string[] {
  const out = args.map(redactSecrets);
  for (const { index, prefix } of secretArgumentPlaces(args)) out[index] = `${prefix}${MASK}`;
  return out;
}

/** The secret values in a command: flag values (see maskArguments) and secret-shaped parts. */
export function secretArguments(args: readonly string[]): string[] {
  return [
    ...new Set([
      ...secretArgumentPlaces(args).map(({ index, prefix }) => args[index].slice(prefix.length)),
      ...args.flatMap(secretValuesIn),
    ]),
  ];
}

/**
 * Values ready for `core.setSecret`: empty ones dropped, each given once, and a multi-line value
 * (a private key) also line by line, since the runner matches what it masks within one line.
 */
export function registrable(values: readonly string[]): string[] {
  const out = new Set<string>();
  for (const value of values) {
    if (value.trim() === '') continue;
    out.add(value);
    if (!value.includes('\n')) continue;
    for (const line of value.split(/\r?\n/).map((l) => l.trim())) {
      if (line.length >= 8 && !line.startsWith('-----')) out.add(line);
    }
  }
  return [...out];
}

/**
 * Every value from the inputs the runner must mask in the whole log (core.setSecret), in case it
 * did not come from `${{ secrets.* }}` (which the runner masks already): values under a
 * secret-looking name (environment variables, template variables, docker labels, log options),
 * secret-shaped parts of any such value (a JWT under a plain name, a URL's password), secret
 * arguments of `command`, and credentials written into an image reference.
 */
export function secretInputValues(
  request: Pick<DeployRequest, 'environment' | 'dockerLabels' | 'logOptions' | 'vars'> &
    Partial<Pick<DeployRequest, 'command' | 'images'>>,
): string[] {
  const named = [
    ...request.environment.set,
    ...request.dockerLabels.set,
    ...request.logOptions.set,
    ...Object.entries(request.vars).map(([name, value]) => ({ name, value })),
  ];
  return registrable([
    ...named.flatMap((e) => (secretLikeName(e.name) ? [e.value] : secretValuesIn(e.value))),
    ...secretArguments(request.command ?? []),
    ...(request.images ?? []).flatMap((i) => secretValuesIn(i.image)),
  ]);
}
