import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One folder for every cloud assembly the CDK tests synthesize (tests/lib/synth.ts), removed after
 * the run. The test processes inherit its path from the environment.
 */
export default function setup(): () => Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'feed-publisher-cdk-'));
  process.env.FEED_PUBLISHER_ASSEMBLIES = folder;
  return () => rm(folder, { recursive: true, force: true });
}
