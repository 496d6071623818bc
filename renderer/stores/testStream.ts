// For store tests: a stream as the Api serves one, with a way to send its events and end it.
import type { RemoteError } from '../../shared/wire';

export function testStream<E>() {
  const listeners = new Set<(event: E) => void>();
  const ends = new Set<(error?: RemoteError) => void>();
  return {
    /** Who is subscribed now. */
    listeners,
    subscribe(_params: unknown, onEvent: (event: E) => void, onEnd?: (error?: RemoteError) => void): () => void {
      listeners.add(onEvent);
      if (onEnd) ends.add(onEnd);
      return () => {
        listeners.delete(onEvent);
        if (onEnd) ends.delete(onEnd);
      };
    },
    emit(event: E): void {
      for (const listener of [...listeners]) listener(event);
    },
    /** The core ends the stream, with an error or none. */
    end(error?: RemoteError): void {
      for (const onEnd of [...ends]) onEnd(error);
    },
  };
}
