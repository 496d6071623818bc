// Under the action bar while containers are marked: how many, of which services, and the rollouts
// that start on exactly those (RolloutButtons), with Clear.
import { useMemo } from 'react';
import { formatCount } from '../../components/format';
import { useFleet } from '../../stores/fleet';
import { servicesOf } from '../rolloutStart/scope';
import { clearMarks, markedContainers, useMarks } from './marks';
import { RolloutButtons } from './RolloutButtons';

export function MarkedBar() {
  const marked = useMarks();
  const containers = useFleet((s) => s.containers);
  const list = useMemo(() => markedContainers(containers, marked), [containers, marked]);
  if (list.length === 0) return null;
  const services = servicesOf(list);
  return (
    <section className="marked-bar" aria-label="Marked containers">
      <span className="marked-count"><span aria-hidden="true">☑</span> {formatCount(list.length)} marked</span>
      <span className="muted marked-services" title={services.join('\n')}>
        {services.length === 0 ? 'in no service' : services.length === 1 ? `of ${services[0]}` : `of ${services.length} services: ${services.join(', ')}`}
      </span>
      <span className="muted marked-hint">Ctrl+click or Space marks and unmarks</span>
      <span className="toolbar-spacer" />
      <RolloutButtons target={{ containers: list }} />
      <button type="button" className="btn btn-small btn-quiet" onClick={clearMarks}>Clear marks</button>
    </section>
  );
}
