import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Logs and metrics through Powertools for AWS Lambda. Both write to stdout themselves, so under
 * Lambda's JSON log format the metric lines stay top-level Embedded Metric Format (which
 * `console.log` would wrap into a "message" string CloudWatch cannot read), and errors are logged
 * with their name and stack. The service name, one per stack, is the metrics' dimension, so two
 * stacks in one account never share a metric.
 */
export interface Telemetry {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function createTelemetry(options: {
  readonly namespace: string;
  readonly service: string;
}): Telemetry {
  return {
    logger: new Logger({ serviceName: options.service }),
    metrics: new Metrics({ namespace: options.namespace, serviceName: options.service }),
  };
}

/** Counts, flushed as one EMF line. */
export function publishCounts(metrics: Metrics, values: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(values)) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}
