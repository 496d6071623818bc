// What a rollout started from a grid row acts on (pure): a service's row, every container of that
// service fleet-wide; a container's row, that container; a business line's row (or "(no service)"),
// nothing.
import type { Container } from '../../../shared/model';
import { serviceMembers, type StartTarget } from '../rolloutStart/scope';
import { NO_SERVICE, type Row } from './rows';

export function rolloutTargetOf(row: Row | undefined, containers: Iterable<readonly Container[]>): StartTarget | undefined {
  if (row?.kind === 'container') return { containers: [row.container] };
  if (row?.kind === 'service' && row.service !== NO_SERVICE) return { service: row.service, containers: serviceMembers(containers, row.service) };
  return undefined;
}
