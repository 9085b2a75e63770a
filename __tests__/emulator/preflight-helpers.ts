// Shared set-up for the preflight emulator tests: one emulator per file with a fake ECS model,
// SDK client options for any region, and a helper that returns a call's error.
import { startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index.js';
import { createFakeEcs } from './fake-ecs.js';

export const START = Date.UTC(2025, 5, 1, 12);
export const OWN = '123456789012';
export const OTHER = '999988887777';

export type SdkError = {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number; attempts?: number };
  $response?: { headers: Record<string, string>; body?: unknown };
};

export const failure = (p: Promise<unknown>): Promise<SdkError> =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as SdkError,
  );

export function startPreflightEmulator(seed: EmulatorSeed): Promise<Emulator> {
  return startEmulator({
    manualClock: true,
    startTime: START,
    seed,
    ecsModel: (opts) => createFakeEcs(opts),
  });
}

/** Client options for the emulator, in `region` (the region a preflight takes from an ARN). */
export const clientOptions = (emu: Emulator, region = 'us-east-1') => ({
  endpoint: emu.url,
  region,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});
