// Whichever of the Deploy and Roll back dialogs is asked for (startDialog.ts), or none.
import { DeployDialog } from './DeployDialog';
import { RollbackDialog } from './RollbackDialog';
import { useStartAsk } from './startDialog';
import './rolloutStart.css';

export function RolloutStartDialogs() {
  const ask = useStartAsk();
  if (!ask) return null;
  return ask.action === 'deploy' ? <DeployDialog target={ask.target} /> : <RollbackDialog target={ask.target} />;
}
