// Public surface of the emulator for tests, the demo and the CLI.
export { startEmulator, mutatingCalls } from './server.js';
export type { Emulator, EmulatorOptions, RequestLogEntry } from './server.js';
export type { EmulatorClock } from './clock.js';
export type { FaultRule, FaultKind } from './faults.js';
export type { EmulatorSeed } from './seed.js';
export { imageDigest } from './ecr.js';
export { AwsError, DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './core.js';
export type { EcsModel, EcsSeed } from './core.js';
export {
  blueGreenLoadBalancer,
  lambdaHook,
  pauseHook,
  shiftDeploymentConfiguration,
} from './ecs/shift-seed.js';
export type { ShiftConfigOptions } from './ecs/shift-seed.js';
