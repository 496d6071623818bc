// Asks before stop/restart, naming the container, its host and its address.
import type { ContainerAction } from '../../../shared/model';
import { AlertDialog } from '../../components/AlertDialog';
import { shortId } from '../../components/format';
import { findContainer, useFleet } from '../../stores/fleet';
import { useUi } from '../../stores/ui';

const VERB: Record<ContainerAction, string> = { start: 'Start', stop: 'Stop', restart: 'Restart' };
const CONSEQUENCE: Record<ContainerAction, string> = {
  start: 'The container will start.',
  stop: 'Its processes get SIGTERM, then SIGKILL after the stop timeout. It stays down until someone starts it.',
  restart: 'It stops (SIGTERM, then SIGKILL after the stop timeout) and starts again; it is unavailable meanwhile.',
};

export function ConfirmActionDialog() {
  const request = useUi((s) => s.confirm);
  const container = useFleet((s) => (request ? findContainer(s.containers, request) : undefined));
  if (!request) return null;

  const cancel = () => useUi.getState().askConfirm(null);
  const confirm = () => {
    useUi.getState().askConfirm(null);
    void useFleet.getState().runAction({ host: request.host, id: request.id }, request.action);
  };
  const name = container?.name ?? shortId(request.id);
  const ips = container?.ips.map((n) => n.ip).filter(Boolean).join(', ');

  return (
    <AlertDialog
      title={<>{VERB[request.action]} <span className="mono">{name}</span> on <span className="mono">{request.host}</span>?</>}
      confirmLabel={VERB[request.action]}
      tone="danger"
      onConfirm={confirm}
      onCancel={cancel}
    >
      <p>
        {VERB[request.action]} container <b className="mono">{name}</b> on host <b className="mono">{request.host}</b>
        {ips ? <> ({<span className="mono">{ips}</span>})</> : null}.
      </p>
      <p className="muted">{CONSEQUENCE[request.action]}</p>
      {container && <p className="muted mono small">{container.image} · {shortId(container.id)} · {container.status}</p>}
    </AlertDialog>
  );
}
