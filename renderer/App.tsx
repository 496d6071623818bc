import { lazy, Suspense } from 'react';
import { AlertsView } from './features/alerts/AlertsView';
import { AuditView } from './features/audit/AuditView';
import { ImagesView } from './features/images/ImagesView';
import { IpCreateDialog } from './features/ipCreate/IpCreateDialog';
import { IpMapView } from './features/ipmap/IpMapView';
import { LogsView } from './features/logs/LogsView';
import { InterruptedRollouts } from './features/rollouts/InterruptedRollouts';
import { RolloutsView } from './features/rollouts/RolloutsView';
import { ConfirmActionDialog } from './features/fleet/ConfirmActionDialog';
import { ContainersGrid } from './features/fleet/ContainersGrid';
import { HostsPanel } from './features/hosts/HostsPanel';
import { TopView } from './features/stats/TopView';
import { ViewTabs } from './features/stats/ViewTabs';
import { StatusLine } from './features/frame/StatusLine';
import { TopBar } from './features/frame/TopBar';
import './features/frame/frame.css';
import { CommandPalette } from './features/palette/CommandPalette';
import { usePaletteOpen } from './features/palette/paletteOpen';
import { RolloutStartDialogs } from './features/rolloutStart/RolloutStartDialogs';
import { useStartAsk } from './features/rolloutStart/startDialog';
import { HostKeyDialog } from './features/terminal/HostKeyDialog';
import { ShellAsDialog } from './features/terminal/ShellAsDialog';
import { TerminalPanel } from './features/terminal/TerminalPanel';
import { useIpCreate } from './stores/ipCreate';
import { useStats } from './stores/stats';
import { useTerminals } from './stores/terminals';
import { useUi } from './stores/ui';

// Charts (recharts) load with the first detail opened, not with the app.
const StatsDetail = lazy(() => import('./features/stats/StatsDetail').then((m) => ({ default: m.StatsDetail })));

export function App() {
  const confirming = useUi((s) => s.confirm !== null);
  const terminalModal = useTerminals((s) => s.hostKeyPrompt !== null || s.shellAs !== null);
  const statsOpen = useStats((s) => s.detail !== null);
  const view = useUi((s) => s.view);
  const paletteOpen = usePaletteOpen();
  const startAsking = useStartAsk() !== null;
  const ipCreating = useIpCreate((s) => s.ask !== null);
  const modal = confirming || terminalModal || statsOpen || paletteOpen || startAsking || ipCreating;
  const maximized = useTerminals((s) => s.maximized);

  return (
    <>
      {/* While a dialog is open the app behind it is inert and hidden from assistive tech. */}
      <div className="app" inert={modal} aria-hidden={modal || undefined}>
        <TopBar />
        <main className="main-area">
          {/* Hidden (not unmounted) while the terminal panel is maximized: the grid keeps its state. */}
          <div className="workspace" hidden={maximized}>
            <HostsPanel />
            <div className="view-area">
              <InterruptedRollouts />
              <ViewTabs />
              <div className="view-pane" id={`view-${view}`} role="tabpanel" aria-labelledby={`view-tab-${view}`}>
                {view === 'top' ? <TopView /> : view === 'audit' ? <AuditView /> : view === 'images' ? <ImagesView /> : view === 'rollouts' ? <RolloutsView /> : view === 'ipmap' ? <IpMapView /> : view === 'logs' ? <LogsView /> : view === 'alerts' ? <AlertsView /> : <ContainersGrid />}
              </div>
            </div>
          </div>
          <TerminalPanel />
        </main>
        <StatusLine />
      </div>
      <ConfirmActionDialog />
      <HostKeyDialog />
      <ShellAsDialog />
      <CommandPalette />
      <RolloutStartDialogs />
      <IpCreateDialog />
      {statsOpen && (
        <Suspense fallback={null}>
          <StatsDetail />
        </Suspense>
      )}
    </>
  );
}
