// The GitHub inputs (src/inputs/parse-github.ts) through the input table: each problem names its
// input, the token's default as written is no token, and the token never appears in a message.
import { describe, expect, it } from '@jest/globals';
import { readInputs } from '../../src/inputs/index.js';

const read = (inputs: Record<string, string>) =>
  readInputs((name) => inputs[name] ?? '', { region: 'us-east-1' });
const errors = (inputs: Record<string, string>) =>
  read(inputs)
    .problems.filter((p) => p.severity === 'error')
    .map((p) => [p.input, p.message] as const);

describe('GitHub inputs', () => {
  it('parse into the request', () => {
    const { request, problems } = read({
      service: 'web',
      'github-environment': 'production',
      'github-token': 'ghs_abc',
      'environment-url': 'https://www.example.com',
    });
    expect(problems).toEqual([]);
    expect(request).toMatchObject({
      githubEnvironment: 'production',
      githubToken: 'ghs_abc',
      environmentUrl: 'https://www.example.com',
    });
  });

  it('are unset by default; the token default as written is no token', () => {
    const { request, problems } = read({ service: 'web', 'github-token': '${{ github.token }}' });
    expect(problems).toEqual([]);
    expect(request.githubEnvironment).toBeUndefined();
    expect(request.githubToken).toBeUndefined();
    expect(request.environmentUrl).toBeUndefined();
  });

  it('github-environment needs a token', () => {
    expect(errors({ service: 'web', 'github-environment': 'prod' })).toEqual([
      ['github-token', expect.stringContaining('deployments: write')],
    ]);
  });

  it('environment-url needs github-environment and must be an http(s) URL', () => {
    expect(errors({ service: 'web', 'environment-url': 'https://x.example.com' })).toEqual([
      ['environment-url', expect.stringContaining('needs github-environment')],
    ]);
    expect(
      errors({
        service: 'web',
        'github-environment': 'prod',
        'github-token': 't',
        'environment-url': 'ftp://x',
      }),
    ).toEqual([['environment-url', expect.stringContaining('"ftp://x" is not an http(s) URL')]]);
  });

  it('github-environment applies to a service deployment', () => {
    expect(
      errors({ 'task-definition': 'td.json', 'github-environment': 'prod', 'github-token': 't' }),
    ).toEqual([
      ['github-environment', 'github-environment applies to a service deployment, but service is not set.'],
    ]);
  });

  it('a name too long, or a token with spaces, is refused without quoting the token', () => {
    const found = errors({
      service: 'web',
      'github-environment': 'e'.repeat(256),
      'github-token': 'ghs_secret part',
    });
    expect(found.map(([input]) => input)).toEqual(['github-environment', 'github-token']);
    expect(JSON.stringify(found)).not.toContain('ghs_secret');
  });
});
