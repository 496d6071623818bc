// What the registry knows of a container's image, from the images store's usage: the image column's
// outdated mark (shape and word), and the action bar's digest line (the digest it runs, with copy,
// and whether its tag has moved on in the registry).
import type { Container } from '../../../shared/model';
import { Shape } from '../../components/Shape';
import { containerKey } from '../../stores/fleet';
import { useImages } from '../../stores/images';
import { runningDigest } from '../../stores/imageUsage';
import { shortDigest } from '../images/imageRows';
import { useCopy } from '../images/useCopy';
import '../images/images.css';

const useUsage = (c: Container) => useImages((s) => s.usage?.value?.byContainer.get(containerKey(c)));

/** "↑ outdated" before an outdated container's image; nothing otherwise. */
export function OutdatedMark({ c }: { c: Container }) {
  const u = useUsage(c);
  if (u?.outdated !== true) return null;
  return (
    <span className="image-outdated" title={`Outdated: ${u.image} now points to ${u.currentDigest ?? 'another digest'} in the registry`}>
      <Shape kind="up" /> outdated
    </span>
  );
}

export function ImageDigestLine({ c }: { c: Container }) {
  const u = useUsage(c);
  const { copied, copy } = useCopy();
  const digest = u ? runningDigest(u) : undefined;
  if (!u) return null;
  return (
    <div className="ab-digest mono">
      <span className="muted">digest</span>
      {digest ? (
        <>
          <span className="ab-digest-value" title={digest}>{shortDigest(digest)}</span>
          <button type="button" className="img-copy" aria-label="Copy image digest" title={`Copy ${digest}`} onClick={() => copy(digest)}>
            {copied === digest ? '✓ copied' : 'copy'}
          </button>
        </>
      ) : (
        <span className="muted" title={`image ${u.imageId}`}>none recorded (built here, or never pushed)</span>
      )}
      {u.outdated === true && (
        <span className="ab-outdated">
          <Shape kind="up" /> outdated: tag now points to <span title={u.currentDigest}>{u.currentDigest ? shortDigest(u.currentDigest) : 'another digest'}</span>
        </span>
      )}
      {u.outdated === false && <span className="ab-current"><Shape kind="dot" /> current: its tag still points to it</span>}
    </div>
  );
}
