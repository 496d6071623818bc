// The one place where transports meet the core: every call and subscription is looked up in the
// contract and its arguments parsed with the contract's schema before the core sees them.
import type { z } from 'zod';
import { contract, type Api, type CallName, type RemoteError, type StreamName, type Unsubscribe } from '../../shared/contract';
import type { OnEnd } from '../../shared/slice';

export class ContractError extends Error {
  constructor(
    message: string,
    readonly code: 'unknown-entry' | 'bad-request',
  ) {
    super(message);
  }
}

export interface Dispatcher {
  call(name: string, request: unknown): Promise<unknown>;
  /** Throws when the stream cannot start; `end` is passed to the core, which may end the stream itself. */
  subscribe(name: string, params: unknown, emit: (event: unknown) => void, end?: OnEnd): Unsubscribe;
}

const isCall = (name: string): name is CallName => Object.hasOwn(contract.calls, name);
const isStream = (name: string): name is StreamName => Object.hasOwn(contract.streams, name);

function parse(schema: z.ZodType, value: unknown, what: string): unknown {
  const result = schema.safeParse(value);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ContractError(`${what}: ${detail}`, 'bad-request');
  }
  return result.data;
}

export function createDispatcher(api: Api): Dispatcher {
  return {
    async call(name, request) {
      if (!isCall(name)) throw new ContractError(`unknown call "${name}"`, 'unknown-entry');
      const parsed = parse(contract.calls[name].request, request ?? {}, name);
      return (api[name] as (r: unknown) => Promise<unknown>)(parsed);
    },
    subscribe(name, params, emit, end) {
      if (!isStream(name)) throw new ContractError(`unknown stream "${name}"`, 'unknown-entry');
      const parsed = parse(contract.streams[name].params, params ?? {}, name);
      return (api[name] as (p: unknown, e: (ev: unknown) => void, end?: OnEnd) => Unsubscribe)(parsed, emit, end);
    },
  };
}

/**
 * The error as the client will see it: its message, and its `code` when it has a string one
 * (ContractError, main/actions' ActionError, Node's system errors; or a RemoteError passed on).
 */
export function toRemoteError(err: unknown): RemoteError {
  if (typeof err !== 'object' || err === null) return { message: String(err) };
  const { message, code } = err as { message?: unknown; code?: unknown };
  const text = typeof message === 'string' ? message : String(err);
  return typeof code === 'string' ? { message: text, code } : { message: text };
}
