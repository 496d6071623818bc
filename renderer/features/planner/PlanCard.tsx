// One container of the plan, as a compact card (a list item named by the container first): its
// position and name, host and IP, its image and digest old → new as a diff with the changed part
// highlighted, then "stop-first (static address)" where forced while editing, or its live step
// (shape, word, colour, time in step) while running; a failure's reason below. While editing it is draggable (mouse, or Space and the
// arrows: PlanLanes.tsx) and its "Move to batch…" menu moves it without dragging.
import { useSortable } from '@dnd-kit/sortable';
import { memo, type CSSProperties } from 'react';
import type { RolloutContainer } from '../../../shared/rollout';
import { formatDuration } from '../../components/format';
import { Shape } from '../../components/Shape';
import { shortDigest } from '../images/imageRows';
import { STEP_LOOK, stepWord } from '../rollouts/rolloutRows';
import { MoveMenu } from './MoveMenu';
import type { PlanCard as Card } from './planModel';
import { cardLabel, diffRefs, isFinalStep, lastSegment } from './planView';

export type CardPlace = {
  /** 1-based position in its lane (window mode: in the order). */
  position: number;
  /** Window mode: among the first `parallelism`, which run at once. */
  inWindow: boolean;
};

type Props = CardPlace & {
  card: Card;
  live: RolloutContainer | undefined;
  /** Editing (draggable, with its menu) or running (fixed). */
  editable: boolean;
  now: number;
  /** Batch mode's menu: the lane it is in and how many there are. */
  menu?: { lane: number; lanes: number };
};

export const PlanCard = memo(function PlanCard({ card, live, editable, now, position, inWindow, menu }: Props) {
  const { setNodeRef, setActivatorNodeRef, attributes, listeners, transform, transition, isDragging } = useSortable({ id: card.key, data: { type: 'card' }, disabled: !editable });
  // The sortable's role="button" would hide the list item from the lists' contract; the item is
  // the drag handle all the same (Space picks it up).
  const { role: _role, ...handle } = attributes;
  const style: CSSProperties = { transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined, transition };
  const step = live?.step;
  return (
    <li
      ref={(node) => {
        setNodeRef(node);
        setActivatorNodeRef(node);
      }}
      {...handle}
      {...(editable ? listeners : {})}
      tabIndex={0}
      aria-roledescription={editable ? 'movable container' : 'container'}
      aria-label={cardLabel(card, live)}
      data-card={card.key}
      style={style}
      className={`plan-card${step ? ` step-${step}` : ''}${inWindow ? ' in-window' : ''}${isDragging ? ' is-placeholder' : ''}${editable ? ' is-editable' : ''}`}
    >
      <CardBody card={card} live={live} now={now} position={position} inWindow={inWindow} menu={editable ? menu : undefined} />
    </li>
  );
});

/** The card's face; the drag overlay draws it too. */
export function CardBody({ card, live, now, position, inWindow, menu }: { card: Card; live: RolloutContainer | undefined; now: number; menu?: { lane: number; lanes: number } } & CardPlace) {
  const look = live ? STEP_LOOK[live.step] : undefined;
  const since = live ? Date.parse(live.time) : NaN;
  const inStep = live && live.step !== 'queued' && !isFinalStep(live.step) && Number.isFinite(since) ? formatDuration(now - since) : undefined;
  return (
    <>
      <div className="pc-line">
        <span className={`pc-pos mono${inWindow ? ' is-in-window' : ''}`} title={inWindow ? 'In the window: runs at once with the others marked' : 'Position'}>{position}</span>
        <span className="pc-name" title={card.name}>{card.name}</span>
        {menu && <MoveMenu cardKey={card.key} name={card.name} lane={menu.lane} lanes={menu.lanes} />}
      </div>
      <div className="pc-line pc-where mono">
        <span className={card.hostOnline ? '' : 'pc-offline'} title={card.hostOnline ? `Host ${card.host}` : `Host ${card.host} is offline`}>
          {card.host}{card.hostOnline ? '' : ' (offline)'}
        </span>
        {card.ip && <span title={card.mac ? `MAC ${card.mac}` : undefined}>{card.ip}</span>}
      </div>
      <ImageChange from={card.from} to={card.to} />
      <div className="pc-line">
        {live && look ? (
          // While it runs the step takes the last line: the forced order mattered for the plan, and its card's name says it still.
          <span className={`pc-step ro-tone-${look.tone}`} title={live.time}>
            <Shape kind={look.shape} /> {stepWord(live.step)}
            {inStep && <span className="pc-since mono"> {inStep}</span>}
          </span>
        ) : (
          card.forcedStopFirst && <span className="pc-forced" title="A static IP or MAC is unique: the old container stops before the new one starts">stop-first (static address)</span>
        )}
      </div>
      {live?.error && <div className="pc-error" title={live.error}>{live.error}</div>}
    </>
  );
}

type Side = { image: string; digest?: string };

/** 12 hex digits, as docker shows an id; the algorithm goes without saying. */
const short = (digest: string) => shortDigest(digest).replace(/^sha256:/, '');
/** Two side by side: 8 each, as git does, so that old → new fits the card (the title has them whole). */
const shorter = (digest: string) => short(digest).slice(0, 8);

/** Image, then digest, old → new: the shared repository once, the changed part highlighted. */
function ImageChange({ from, to }: { from: Side; to: Side }) {
  const image = diffRefs(from.image, to.image);
  const sameImage = image.from === '' && image.to === '';
  const digestChanged = from.digest !== to.digest && (from.digest !== undefined || to.digest !== undefined);
  const title = `${from.image}${from.digest ? `@${from.digest}` : ''} → ${to.image}${to.digest ? `@${to.digest}` : ''}`;
  return (
    <>
      <div className="pc-line pc-image mono" title={title}>
        <span className="pc-repo">{lastSegment(image.common)}</span>
        {!sameImage && (
          <>
            <del className="pc-old">{image.from}</del>
            <span className="pc-arrow" aria-hidden="true">→</span>
            <ins className="pc-new">{image.to}</ins>
          </>
        )}
      </div>
      <div className="pc-line pc-digest mono" title={title}>
        {digestChanged ? (
          <span className="pc-digests">
            <del className="pc-old">{from.digest ? shorter(from.digest) : '?'}</del>
            <span className="pc-arrow" aria-hidden="true">→</span>
            <ins className="pc-new">{to.digest ? shorter(to.digest) : 'new'}</ins>
          </span>
        ) : (
          <span className="pc-digests muted">{from.digest ? short(from.digest) : ''}</span>
        )}
      </div>
    </>
  );
}
