// How a store words a failed call: the error's message, whatever was thrown.

/** A remote error may arrive as a plain object with a message, not an Error. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err && 'message' in err && typeof err.message === 'string') return err.message;
  return String(err);
}
