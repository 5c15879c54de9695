import * as v from 'valibot';
import { checkValue } from '../core/state/decode-json.ts';
import { rebuildMessageSchema } from '../publish/rebuild-records.ts';
import type { RecordTrigger } from '../publish/record-step.ts';
import { type RebuildMessage, rebuildMessageKinds } from '../stores/ports.ts';

/** A message that says what it is (an S3 event, a rebuild step) but is not of that shape. */
export class QueueMessageError extends Error {
  override readonly name = 'QueueMessageError';
}

/** An SQS message as the event source hands it over. */
export interface QueueMessage {
  readonly messageId: string;
  readonly body?: string;
}

/** S3 event notifications, as far as the publisher reads them. */
const s3EventSchema = v.looseObject({
  Records: v.optional(
    v.array(
      v.looseObject({
        eventName: v.optional(v.string()),
        s3: v.optional(
          v.looseObject({
            object: v.optional(
              v.looseObject({
                key: v.optional(v.string()),
                eTag: v.optional(v.string()),
                sequencer: v.optional(v.string()),
              }),
            ),
          }),
        ),
      }),
    ),
  ),
});

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
    let body: unknown;
    try {
      body = JSON.parse(message.body ?? '{}');
    } catch {
      return [];
    }
    // Checked by readableStep before the batch is published: one that is not of this shape fails alone.
    if (!v.is(s3EventSchema, body)) return [];
    return (body.Records ?? []).flatMap((record) => {
      const object = record.s3?.object;
      if (!object?.key) return [];
      const key = decodeURIComponent(object.key.replace(/\+/g, ' '));
      return [{ key, object, removed: record.eventName?.startsWith('ObjectRemoved') === true }];
    });
  });
}

/**
 * A message checked before a batch is worked on: its rebuild step when it is one, undefined for
 * anything else; a QueueMessageError naming the message and field when it says it is a rebuild
 * step or an S3 event but is not of that shape (that message alone fails, and is dead-lettered).
 */
export function readableStep(message: QueueMessage): RebuildMessage | undefined {
  const step = rebuildStepOf(message);
  if (step) return step;
  let body: unknown;
  try {
    body = JSON.parse(message.body ?? '{}');
  } catch {
    return undefined;
  }
  if (typeof body === 'object' && body !== null && 'Records' in body) {
    checkValue(body, s3EventSchema, `message ${message.messageId}`, QueueMessageError);
  }
  return undefined;
}

/** A rebuild step, when the message is one (the rebuild queue); undefined for anything else. */
export function rebuildStepOf(message: QueueMessage): RebuildMessage | undefined {
  let body: unknown;
  try {
    body = JSON.parse(message.body ?? '{}');
  } catch {
    return undefined;
  }
  const kind = typeof body === 'object' && body !== null && 'kind' in body ? body.kind : undefined;
  if (typeof kind !== 'string' || !rebuildMessageKinds.includes(kind)) return undefined;
  return checkValue(body, rebuildMessageSchema, `message ${message.messageId}`, QueueMessageError);
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
