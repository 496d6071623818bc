// Binds the terminal slice to the terminal service.
import type { ApiOf } from '../../shared/slice';
import type { terminalSlice } from '../../shared/terminal';
import type { TerminalService } from './terminalService';

export function bindTerminal(terminals: TerminalService): ApiOf<typeof terminalSlice> {
  return {
    terminalOpen: ({ target, size }) => terminals.open(target, size),
    terminalInput: async ({ sessionId, data }) => terminals.input(sessionId, data),
    terminalResize: ({ sessionId, size }) => terminals.resize(sessionId, size),
    terminalAck: async ({ sessionId, chars }) => terminals.ack(sessionId, chars),
    terminalClose: ({ sessionId }) => terminals.closeSession(sessionId),
    terminalScreen: ({ sessionId }) => terminals.screen(sessionId),
    trustHostKey: ({ host, fingerprint }) => terminals.trustHostKey(host, fingerprint),
    terminalOutput: ({ sessionId }, onEvent) => terminals.subscribe(sessionId, onEvent),
  };
}
