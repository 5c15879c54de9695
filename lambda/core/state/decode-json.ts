import * as v from 'valibot';
import { errorMessage } from '../error-message.ts';
import { StateReadError } from './codec.ts';

/**
 * Stored or queued JSON, checked against what the code expects of it: a step may read what an
 * earlier version of the code wrote (a deploy in the middle of a rebuild), or an object an
 * operator copied by hand. The error names the object, the field and the problem.
 */
export function decodeJson<T>(text: string, schema: v.GenericSchema<unknown, T>, where: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateReadError(`${where} is not valid JSON: ${errorMessage(error)}`);
  }
  return checkValue(value, schema, where);
}

/** A value already parsed, checked the same way; the error is a StateReadError unless told. */
export function checkValue<T>(
  value: unknown,
  schema: v.GenericSchema<unknown, T>,
  where: string,
  ErrorType: new (message: string) => Error = StateReadError,
): T {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const [issue] = result.issues;
  const path = v.getDotPath(issue);
  throw new ErrorType(`${where}: ${path ? `${path}: ` : ''}${issue.message}`);
}
