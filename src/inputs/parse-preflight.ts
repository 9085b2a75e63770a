// Parsers for preflight: whether to check what the task definition names before anything is
// written, whether to pin ECR images to their digest, and the scan severity that stops a deploy.
// Pinning and the scan gate are answers preflight finds, so both need it on.

import { SCAN_THRESHOLDS, type ScanThreshold } from '../lib/request.js';
import { parseBoolean, parseEnum, type InputParser } from './context.js';

export const parsePreflight: InputParser = (value, ctx) => ({ preflight: parseBoolean(value, ctx) ?? true });

export const parsePinImageDigest: InputParser = (value, ctx) => {
  const pin = parseBoolean(value, ctx) ?? false;
  if (pin && ctx.request.preflight === false) {
    ctx.fail(
      'needs preflight: the digest is what preflight finds in ECR; set preflight: true or leave it out.',
    );
  }
  return { pinImageDigest: pin };
};

export const parseFailOnScanFindings: InputParser = (value, ctx) => {
  const threshold = parseEnum<ScanThreshold>(value, SCAN_THRESHOLDS, ctx);
  if (threshold && ctx.request.preflight === false) {
    ctx.fail('needs preflight: the scan is read by preflight; set preflight: true or leave it out.');
  }
  return threshold ? { failOnScanFindings: threshold } : {};
};
