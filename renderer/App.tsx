import { useEffect } from 'react';
import { ConfirmActionDialog } from './features/fleet/ConfirmActionDialog';
import { ContainersGrid } from './features/fleet/ContainersGrid';
import { HostsPanel } from './features/hosts/HostsPanel';
import { StatusLine } from './features/shell/StatusLine';
import { TopBar } from './features/shell/TopBar';
import { HostKeyDialog } from './features/terminal/HostKeyDialog';
import { startTerminalRegistry } from './features/terminal/registry';
import { ShellAsDialog } from './features/terminal/ShellAsDialog';
import { TerminalPanel } from './features/terminal/TerminalPanel';
import { useFleet } from './stores/fleet';
import { useTerminals } from './stores/terminals';
import { useUi } from './stores/ui';

export function App() {
  const confirming = useUi((s) => s.confirm !== null);
  const terminalModal = useTerminals((s) => s.hostKeyPrompt !== null || s.shellAs !== null);
  const modal = confirming || terminalModal;
  const maximized = useTerminals((s) => s.maximized);

  useEffect(() => {
    void useFleet.getState().connect();
    const stopTerminals = startTerminalRegistry();
    return () => {
      useFleet.getState().disconnect();
      stopTerminals();
    };
  }, []);

  return (
    <>
      {/* While a dialog is open the app behind it is inert and hidden from assistive tech. */}
      <div className="app" inert={modal} aria-hidden={modal || undefined}>
        <TopBar />
        <main className="main-area">
          {/* Hidden (not unmounted) while the terminal panel is maximized: the grid keeps its state. */}
          <div className="workspace" hidden={maximized}>
            <HostsPanel />
            <ContainersGrid />
          </div>
          <TerminalPanel />
        </main>
        <StatusLine />
      </div>
      <ConfirmActionDialog />
      <HostKeyDialog />
      <ShellAsDialog />
    </>
  );
}
