// A test hook, present only when the page's URL carries ?terminalProbe (the e2e specs add it):
// window.fleetdeckTerminalProbe reads the active tab's terminal as xterm holds it, serialized
// with @xterm/addon-serialize (loaded then, so the normal page never carries it), next to
// main's terminalScreen for the same session; and the buffer's lines, for the flood spec's
// scrollback. It reads only: nothing here changes a terminal or a session.
import type { Api } from '../../../shared/contract';
import { useTerminals } from '../../stores/terminals';
import type { TerminalInstance } from './terminalInstance';

export type ProbeScreen = { data: string; cols: number; rows: number; title: string };

export type TerminalProbe = {
  /** The active tab's screen in the page (with at most `scrollback` lines of it, as main caps) and in main, once xterm has written all it was given. */
  screens(scrollback?: number): Promise<{ page: ProbeScreen; main: { data: string; cols: number; rows: number } } | null>;
  /** The active buffer's lines (scrollback, then the screen; only the `last` ones when given), trailing spaces trimmed; `base` is the first visible row's index in the whole buffer. */
  lines(last?: number): Promise<{ lines: string[]; base: number; rows: number } | null>;
};

declare global {
  interface Window {
    fleetdeckTerminalProbe?: TerminalProbe;
  }
}

export const probeRequested = (): boolean => new URLSearchParams(window.location.search).has('terminalProbe');

/** xterm has parsed everything written to it so far. */
const settled = (inst: TerminalInstance) => new Promise<void>((resolve) => inst.term.write('', resolve));

export async function installScreenProbe(api: Pick<Api, 'terminalScreen'>, terminal: (key: string) => TerminalInstance | undefined): Promise<void> {
  const { SerializeAddon } = await import('@xterm/addon-serialize');
  const serializers = new WeakMap<TerminalInstance, InstanceType<typeof SerializeAddon>>();
  const active = () => {
    const key = useTerminals.getState().activeKey;
    return key ? terminal(key) : undefined;
  };
  window.fleetdeckTerminalProbe = {
    async screens(scrollback) {
      const inst = active();
      const sessionId = inst?.currentSessionId;
      if (!inst || !sessionId) return null;
      let serializer = serializers.get(inst);
      if (!serializer) {
        serializer = new SerializeAddon();
        inst.term.loadAddon(serializer);
        serializers.set(inst, serializer);
      }
      await settled(inst);
      const page = { data: serializer.serialize(scrollback === undefined ? {} : { scrollback }), cols: inst.term.cols, rows: inst.term.rows, title: inst.title };
      const main = await api.terminalScreen({ sessionId });
      return { page, main };
    },
    async lines(last) {
      const inst = active();
      if (!inst) return null;
      await settled(inst);
      const buffer = inst.term.buffer.active;
      const lines: string[] = [];
      for (let i = last === undefined ? 0 : Math.max(0, buffer.length - last); i < buffer.length; i++) lines.push((buffer.getLine(i)?.translateToString(true) ?? '').trimEnd());
      return { lines, base: buffer.viewportY, rows: inst.term.rows };
    },
  };
}
