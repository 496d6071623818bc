import { useEffect } from 'react';
import { ConfirmActionDialog } from './features/fleet/ConfirmActionDialog';
import { ContainersGrid } from './features/fleet/ContainersGrid';
import { HostsPanel } from './features/hosts/HostsPanel';
import { StatusLine } from './features/shell/StatusLine';
import { TopBar } from './features/shell/TopBar';
import { useFleet } from './stores/fleet';
import { useUi } from './stores/ui';

export function App() {
  const modal = useUi((s) => s.confirm !== null);

  useEffect(() => {
    void useFleet.getState().connect();
    return () => useFleet.getState().disconnect();
  }, []);

  return (
    <>
      {/* While a dialog is open the app behind it is inert and hidden from assistive tech. */}
      <div className="app" inert={modal} aria-hidden={modal || undefined}>
        <TopBar />
        <main className="workspace">
          <HostsPanel />
          <ContainersGrid />
        </main>
        <StatusLine />
      </div>
      <ConfirmActionDialog />
    </>
  );
}
