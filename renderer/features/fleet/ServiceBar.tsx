// The action bar while a service's group row is selected: the service, how many containers it has
// fleet-wide and on which hosts, the images they run, and the rollouts that start from it (every
// container of the service, not only those the filter shows), its replicas' logs merged, and its history.
import { useMemo } from 'react';
import { formatCount } from '../../components/format';
import { ariaKeys, KEYS, keyText } from '../../components/keybindings';
import { useFleet } from '../../stores/fleet';
import { showHistory } from '../history/historyView';
import { hostsText } from '../images/imageRows';
import { openServiceLogs } from '../logs/openLogs';
import { repositoriesOf, serviceMembers } from '../rolloutStart/scope';
import { RolloutButtons } from './RolloutButtons';
import { NO_SERVICE, type ServiceRow } from './rows';

export function ServiceBar({ row }: { row: ServiceRow }) {
  const containers = useFleet((s) => s.containers);
  const members = useMemo(() => (row.service === NO_SERVICE ? [] : serviceMembers(containers.values(), row.service)), [containers, row.service]);
  const images = useMemo(() => [...new Set(members.map((c) => c.image))], [members]);

  if (row.service === NO_SERVICE) {
    return (
      <section className="action-bar is-empty" aria-label="Selected service">
        <span className="muted">These containers belong to no service: select one of them to act on it, or a service&apos;s row to roll that service out.</span>
      </section>
    );
  }
  return (
    <section className="action-bar is-service" aria-label="Selected service">
      <div className="ab-main">
        <div className="ab-title">
          <span className="ab-name">{row.service}</span>
          <span className="ab-on">service in</span>
          <span className="ab-group">{row.group}</span>
          <span className="ab-status muted">
            {formatCount(members.length)} {members.length === 1 ? 'container' : 'containers'} fleet-wide · {formatCount(members.filter((c) => c.state === 'running').length)} running
          </span>
        </div>
        <div className="ab-meta mono">
          <span title="Containers per host">{hostsText(members) || 'no hosts'}</span>
          <span className="ab-image" title={images.join('\n')}>
            {images.length <= 1 ? (images[0] ?? '') : `${images.length} images: ${images.join(', ')}`}
          </span>
          {repositoriesOf(members).length > 1 && <span className="muted">(several repositories: deploy them one at a time)</span>}
        </div>
      </div>
      <div className="ab-side">
        <RolloutButtons target={{ service: row.service, containers: members }} />
        <button type="button" className="btn btn-small" aria-keyshortcuts={ariaKeys(KEYS.logs)} title={`Every replica's logs merged by time (${keyText(KEYS.logs)} on the service's row)`} onClick={() => openServiceLogs(row.service, members)}>
          Logs of {row.service}
        </button>
        <button type="button" className="btn btn-small btn-quiet" title={`Past rollouts and recorded revisions of ${row.service}, in the Rollouts tab`} onClick={() => showHistory(row.service)}>
          History of {row.service}
        </button>
      </div>
    </section>
  );
}
