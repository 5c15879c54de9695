import type { RecordTrigger } from '../publish/record-step.ts';
import { type RebuildMessage, rebuildMessageKinds } from '../stores/ports.ts';

/** An SQS message as the event source hands it over. */
export interface QueueMessage {
  readonly messageId: string;
  readonly body?: string;
}

interface S3EventRecord {
  readonly eventName?: string;
  readonly s3?: {
    readonly object?: { readonly key?: string; readonly eTag?: string; readonly sequencer?: string };
  };
}

/**
 * The records S3 event notifications name, relative to the content prefix. Keys arrive
 * URL-encoded with '+' for spaces. Messages that are not S3 events (the test event S3 sends
 * when notifications are set up) name nothing; events outside articles/ (site.json, templates)
 * name nothing either, since every run reads site.json (and `namesTemplates` tells of templates).
 */
export function recordTriggers(messages: readonly QueueMessage[], contentPrefix: string): RecordTrigger[] {
  return eventObjects(messages)
    .filter(({ key }) => key.startsWith(`${contentPrefix}articles/`))
    .map(({ key, removed, object }) => ({
      key: key.slice(contentPrefix.length),
      // A removal names no version: the record is read, found gone, and taken out.
      etag: removed ? undefined : object.eTag,
      sequencer: object.sequencer,
    }));
}

/** True when an S3 event of the batch names one of the site's templates (`<prefix>templates/`). */
export function namesTemplates(messages: readonly QueueMessage[], contentPrefix: string): boolean {
  return eventObjects(messages).some(({ key }) => key.startsWith(`${contentPrefix}templates/`));
}

/** The objects S3 events name, keys decoded; messages that are not S3 events name none. */
function eventObjects(messages: readonly QueueMessage[]) {
  return messages.flatMap((message) => {
    let parsed: { Records?: S3EventRecord[] };
    try {
      parsed = JSON.parse(message.body ?? '{}') as { Records?: S3EventRecord[] };
    } catch {
      return [];
    }
    return (parsed.Records ?? []).flatMap((record) => {
      const object = record.s3?.object;
      if (!object?.key) return [];
      const key = decodeURIComponent(object.key.replace(/\+/g, ' '));
      return [{ key, object, removed: record.eventName?.startsWith('ObjectRemoved') === true }];
    });
  });
}

/** A rebuild step, when the message is one (the rebuild queue); undefined for anything else. */
export function rebuildStepOf(message: QueueMessage): RebuildMessage | undefined {
  try {
    const body = JSON.parse(message.body ?? '{}') as Partial<RebuildMessage>;
    return typeof body.kind === 'string' && rebuildMessageKinds.includes(body.kind)
      ? (body as RebuildMessage)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An invocation's payload carried as a message: a scheduled or post-deploy publish that failed,
 * redriven from the invocation dead-letter queue to the publish queue. It asks for a reconcile
 * (or a rebuild); undefined for S3 events and anything else.
 */
export function redrivenInvocationOf(message: QueueMessage): { readonly rebuild: boolean } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(message.body ?? '');
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const payload = body as { Records?: unknown; kind?: unknown; source?: unknown; rebuild?: unknown };
  if (payload.Records !== undefined || payload.kind !== undefined) return undefined;
  // S3 sends a test event when notifications are set up: {"Service":"Amazon S3","Event":"s3:TestEvent"}.
  if (payload.source === undefined && payload.rebuild === undefined) return undefined;
  return { rebuild: payload.rebuild === true };
}
