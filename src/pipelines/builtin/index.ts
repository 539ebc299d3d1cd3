/**
 * The built-in pipelines, in registration order (which is also the precedence order of
 * `canonicalField` when two pipelines map different Sigma fields to the same vendor name).
 * Adding a built-in pipeline: write its data module, add it here.
 */
import type { PipelineSpec } from '../types.js';
import { defenderXdr } from './defender-xdr.js';
import { sentinel } from './sentinel.js';
import { sentinelAsim } from './sentinel-asim.js';
import { sentinelEvent } from './sentinel-event.js';
import { splunk } from './splunk.js';
import { splunkWindows } from './splunk-windows.js';
import { splunkCim } from './splunk-cim.js';

export const BUILTIN_PIPELINES: PipelineSpec[] = [
  defenderXdr,
  sentinel,
  sentinelEvent,
  sentinelAsim,
  splunk,
  splunkWindows,
  splunkCim,
];
