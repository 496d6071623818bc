// The one way views open shells: a container's (docker exec) or a host's (SSH). A live tab for
// the same target is shown instead of opening a second one; "Shell as…" always opens anew.
import type { Container } from '../../../shared/model';
import { useTerminals } from '../../stores/terminals';

export function openContainerShell(c: Pick<Container, 'host' | 'id' | 'name'>): void {
  useTerminals.getState().open({ kind: 'container', host: c.host, id: c.id }, { name: c.name, reuse: true });
}

export function openHostShell(host: string): void {
  useTerminals.getState().open({ kind: 'host', host }, { name: host, reuse: true });
}

export function askShellAs(c: Pick<Container, 'host' | 'id' | 'name'>): void {
  useTerminals.getState().askShellAs({ host: c.host, id: c.id, name: c.name });
}
