// The plan's lanes with dnd-kit: batch mode's lanes side by side (wrapping), each a list "Batch N"
// whose cards drag within it or to another lane, and whose header handle drags the whole lane;
// window mode's one list "Order" with the window (the first `parallelism`) drawn.
//
// The keyboard (KeyboardSensor): Space on a card or a lane handle picks it up; the arrows move it
// (laneKeyboard.ts: ↑/↓ within the lane, ←/→ to the neighbouring lane; a lane ←/→); Space drops,
// Escape cancels. A keyboard move is a move of the lanes being dragged, rendered at once
// (flushSync), and the overlay is pointed at the card's new slot; the collision is the card itself
// so that dnd-kit's sortable shifts nothing on top. A mouse drag moves a card to another lane while
// over it (onDragOver) and within a lane on drop. Either way the store hears one moveCard or
// moveLane on drop; Escape gives the lanes back as they were. Every step is announced in dnd-kit's
// live region.
import {
  closestCenter,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MeasuringStrategy,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { rectSortingStrategy, SortableContext, useSortable } from '@dnd-kit/sortable';
import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { flushSync } from 'react-dom';
import type { RolloutContainer } from '../../../shared/rollout';
import { usePlanner } from '../../stores/planner';
import { CardBody, PlanCard } from './PlanCard';
import { ARROW_DIRECTION, arrayMove, cardStep, laneStep } from './laneKeyboard';
import { cardsPerColumn, type LaneMetrics } from './laneLayout';
import { findCard, moveCard, type Lanes, type PlanCard as Card } from './planModel';

/**
 * The boxes planner.css draws (it takes the card's size from here as --card-w/--card-h): a card of
 * five lines (72 px) at 176 px wide puts six single-card lanes in a row next to the hosts panel at
 * 1600 px, so 3 hosts × 12 fit at 1600 × 1000; a lane's head is 18 px, its padding and border
 * 10 px across and 10 px down (with the 2 px under the head).
 */
const METRICS: LaneMetrics = { cardW: 176, cardH: 72, cardGap: 4, chromeW: 10, chromeH: 30, laneGap: 6 };
/** A click on a card is not a drag: the pointer moves this far first (px). */
const DRAG_DISTANCE = 5;

const laneId = (i: number) => `lane:${i}`;
const isLaneId = (id: UniqueIdentifier) => String(id).startsWith('lane:');
const laneOfId = (id: UniqueIdentifier) => Number(String(id).slice('lane:'.length));
const laneName = (i: number, window: boolean) => (window ? 'Order' : `Batch ${i + 1}`);

type Drag = { kind: 'card' | 'lane'; id: string; lanes: Lanes; laneIds: string[]; keyboard: boolean };

type Props = {
  cards: ReadonlyMap<string, Card>;
  lanes: Lanes;
  window: boolean;
  parallelism: number;
  editable: boolean;
  live: ReadonlyMap<string, RolloutContainer>;
  now: number;
  /** Whether something is picked up (the planner's Escape and order keys wait while it is). */
  onDragging(active: boolean): void;
};

export function PlanLanes({ cards, lanes: storeLanes, window, parallelism, editable, live, now, onDragging }: Props) {
  const paneRef = useRef<HTMLDivElement>(null);
  const [drag, setDragState] = useState<Drag | null>(null);
  const dragRef = useRef<Drag | null>(null);
  // What the next announcement says (a keyboard move, the drop), set just before dnd-kit asks.
  const said = useRef<string | undefined>(undefined);
  const setDrag = (d: Drag | null) => {
    dragRef.current = d;
    setDragState(d);
  };
  const lanes = drag?.lanes ?? storeLanes;
  const laneIds = drag?.laneIds ?? storeLanes.map((_, i) => laneId(i));
  const box = usePaneBox(paneRef);
  // Measured from the lanes as they are before a drag: a drag must not re-flow what is being aimed at.
  const perColumn = useMemo(() => (box ? cardsPerColumn(storeLanes.map((l) => l.length), box, METRICS) : 6), [box, storeLanes]);

  const where = (d: Pick<Drag, 'lanes'>, key: string): string => {
    const at = findCard(d.lanes, key);
    return at ? `${laneName(at[0], window)}, position ${at[1] + 1} of ${d.lanes[at[0]]!.length}` : 'nowhere';
  };
  const nameOf = (key: string) => cards.get(key)?.name ?? key;
  const laneWhere = (d: Drag) => `position ${d.laneIds.indexOf(d.id) + 1} of ${d.laneIds.length}`;

  const coordinateGetter: KeyboardCoordinateGetter = (event, { currentCoordinates }) => {
    const d = dragRef.current;
    const dir = ARROW_DIRECTION[event.code];
    if (!d || !dir) return undefined;
    event.preventDefault();
    let next: Drag | undefined;
    if (d.kind === 'card') {
      const to = cardStep(d.lanes, d.id, dir);
      if (to) next = { ...d, keyboard: true, lanes: moveCard(d.lanes, d.id, to.lane, to.index) };
    } else {
      const from = d.laneIds.indexOf(d.id);
      const to = laneStep(d.laneIds.length, from, dir);
      if (to !== undefined) next = { ...d, keyboard: true, lanes: arrayMove(d.lanes, from, to), laneIds: arrayMove(d.laneIds, from, to) };
    }
    if (!next) {
      said.current = d.kind === 'card' ? `${nameOf(d.id)} cannot move that way: ${where(d, d.id)}.` : `The batch cannot move that way: ${laneWhere(d)}.`;
      return currentCoordinates;
    }
    const moved = next;
    flushSync(() => setDrag(moved));
    said.current = moved.kind === 'card' ? `${nameOf(moved.id)} moved to ${where(moved, moved.id)}.` : `Batch moved to ${laneWhere(moved)}.`;
    const node = document.querySelector(moved.kind === 'card' ? `[data-card="${CSS.escape(moved.id)}"]` : `[data-lane="${CSS.escape(moved.id)}"]`);
    const rect = node?.getBoundingClientRect();
    return rect ? { x: rect.left, y: rect.top } : currentCoordinates;
  };
  const getterRef = useRef(coordinateGetter);
  getterRef.current = coordinateGetter;

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: DRAG_DISTANCE } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: (event, args) => getterRef.current(event, args),
      keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] },
    }),
  );

  const collisionDetection: CollisionDetection = (args) => {
    const d = dragRef.current;
    // A keyboard move already put the card (or lane) where it goes.
    if (d?.keyboard) return [{ id: args.active.id }];
    if (d?.kind === 'lane') return closestCenter({ ...args, droppableContainers: args.droppableContainers.filter((c) => isLaneId(c.id)) });
    const hits = pointerWithin(args);
    return hits.filter((h) => !isLaneId(h.id)).slice(0, 1).concat(hits.filter((h) => isLaneId(h.id))).slice(0, 1);
  };

  const onDragStart = ({ active, activatorEvent }: DragStartEvent) => {
    const id = String(active.id);
    const kind = isLaneId(id) ? 'lane' : 'card';
    setDrag({ kind, id, lanes: storeLanes, laneIds: storeLanes.map((_, i) => laneId(i)), keyboard: activatorEvent instanceof KeyboardEvent });
    onDragging(true);
  };

  const onDragOver = ({ active, over }: DragOverEvent) => {
    const d = dragRef.current;
    if (!d || d.kind !== 'card' || d.keyboard || !over || over.id === active.id) return;
    const at = findCard(d.lanes, d.id);
    if (!at) return;
    if (isLaneId(over.id)) {
      const lane = d.laneIds.indexOf(String(over.id));
      // Over a lane but none of its cards: to its end.
      if (lane >= 0 && lane !== at[0]) setDrag({ ...d, lanes: moveCard(d.lanes, d.id, lane, d.lanes[lane]!.length) });
      return;
    }
    const target = findCard(d.lanes, String(over.id));
    if (!target || target[0] === at[0]) return;
    const translated = active.rect.current.translated;
    const below = translated ? translated.top + translated.height / 2 > over.rect.top + over.rect.height / 2 : false;
    setDrag({ ...d, lanes: moveCard(d.lanes, d.id, target[0], target[1] + (below ? 1 : 0)) });
  };

  const finish = () => {
    setDrag(null);
    // After dnd-kit's own keydown handling of this Space or Escape (the planner's Escape must not see a drag just ended).
    setTimeout(() => onDragging(false));
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const d = dragRef.current;
    finish();
    if (!d) return;
    const store = usePlanner.getState();
    if (d.kind === 'lane') {
      let ids = d.laneIds;
      if (!d.keyboard && over && isLaneId(over.id) && over.id !== active.id) ids = arrayMove(ids, ids.indexOf(d.id), ids.indexOf(String(over.id)));
      const from = laneOfId(d.id);
      const to = ids.indexOf(d.id);
      said.current = `Dropped ${laneName(from, false)}; it is now ${laneName(to, false)}.`;
      if (to !== from) store.moveLane(from, to);
      return;
    }
    let final = d.lanes;
    const at = findCard(final, d.id);
    const target = over && !d.keyboard && !isLaneId(over.id) && over.id !== active.id ? findCard(final, String(over.id)) : undefined;
    if (at && target && target[0] === at[0]) final = moveCard(final, d.id, target[0], target[1]);
    const end = findCard(final, d.id);
    const start = findCard(storeLanes, d.id);
    said.current = `Dropped ${nameOf(d.id)} in ${where({ lanes: final }, d.id)}.`;
    if (end && (!start || end[0] !== start[0] || end[1] !== start[1])) store.moveCard(d.id, end[0], end[1]);
  };

  const onDragCancel = () => {
    const d = dragRef.current;
    finish();
    if (d) said.current = d.kind === 'card' ? `Cancelled: ${nameOf(d.id)} is back in ${where({ lanes: storeLanes }, d.id)}.` : 'Cancelled: the batch is back where it was.';
  };

  const take = () => {
    const s = said.current;
    said.current = undefined;
    return s;
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      const id = String(active.id);
      if (isLaneId(id)) return `Picked up ${laneName(laneOfId(id), false)}. ← and → move it; Space drops it, Escape cancels.`;
      const d = { lanes: storeLanes };
      return `Picked up ${nameOf(id)}, in ${where(d, id)}. ↑ and ↓ move it within the ${window ? 'order' : 'batch'}${window ? '' : ', ← and → to the neighbouring batch'}; Space drops it, Escape cancels.`;
    },
    onDragMove: () => take(),
    onDragOver: ({ active, over }) => {
      const d = dragRef.current;
      if (!d || d.keyboard || !over || over.id === active.id) return undefined;
      return d.kind === 'card' ? `${nameOf(d.id)} is in ${where(d, d.id)}.` : `Over ${laneName(laneOfId(over.id), false)}.`;
    },
    onDragEnd: () => take(),
    onDragCancel: () => take(),
  };

  const activeCard = drag?.kind === 'card' ? cards.get(drag.id) : undefined;
  const activeLane = drag?.kind === 'lane' ? drag.lanes[drag.laneIds.indexOf(drag.id)] : undefined;

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      measuring={{ droppable: { strategy: MeasuringStrategy.Always } }}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable: window
            ? 'To move a container, press Space to pick it up, ↑ or ↓ to move it in the order, Space to drop it, Escape to cancel.'
            : 'To move a container, press Space to pick it up, ↑ or ↓ to move it within its batch, ← or → to the neighbouring batch, Space to drop it, Escape to cancel. Its Move to batch… menu does the same.',
        },
      }}
    >
      <div ref={paneRef} className="plan-lanes-root" style={{ '--card-w': `${METRICS.cardW}px`, '--card-h': `${METRICS.cardH}px` } as CSSProperties}>
        <SortableContext items={laneIds} strategy={rectSortingStrategy}>
          <div className={`plan-lanes${window ? ' is-window' : ''}`}>
            {lanes.map((lane, i) => (
              <Lane
                key={laneIds[i]}
                id={laneIds[i]!}
                index={i}
                keys={lane}
                laneCount={lanes.length}
                perColumn={perColumn}
                cards={cards}
                window={window}
                parallelism={parallelism}
                editable={editable}
                live={live}
                now={now}
              />
            ))}
          </div>
        </SortableContext>
        <DragOverlay dropAnimation={null}>
          {activeCard ? (
            <div className="plan-card is-overlay">
              <CardBody card={activeCard} live={live.get(activeCard.key)} now={now} position={(findCard(lanes, activeCard.key)?.[1] ?? 0) + 1} inWindow={false} />
            </div>
          ) : activeLane ? (
            <div className="plan-lane is-overlay">
              <div className="plan-lane-head">
                <span className="plan-lane-name">Batch {laneOfId(drag!.id) + 1}</span>
                <span className="muted">{activeLane.length} container{activeLane.length === 1 ? '' : 's'}</span>
              </div>
            </div>
          ) : null}
        </DragOverlay>
      </div>
    </DndContext>
  );
}

/** The lanes' pane (the scrolling parent of `ref`) without its padding, followed as it resizes. */
function usePaneBox(ref: React.RefObject<HTMLElement | null>): { width: number; height: number } | undefined {
  const [box, setBox] = useState<{ width: number; height: number }>();
  useEffect(() => {
    const pane = ref.current?.parentElement;
    if (!pane) return;
    const measure = () => {
      const s = getComputedStyle(pane);
      const width = pane.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      const height = pane.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
      setBox((b) => (b && b.width === width && b.height === height ? b : { width, height }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(pane);
    return () => observer.disconnect();
  }, [ref]);
  return box;
}

type LaneProps = Omit<Props, 'lanes' | 'onDragging'> & { id: string; index: number; keys: readonly string[]; laneCount: number; perColumn: number };

function Lane({ id, index, keys, laneCount, perColumn, cards, window, parallelism, editable, live, now }: LaneProps) {
  const { setNodeRef, setActivatorNodeRef, attributes, listeners, transform, transition, isDragging } = useSortable({ id, data: { type: 'lane' }, disabled: !editable || window });
  const name = laneName(index, window);
  const style = {
    transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined,
    transition,
    '--cols': Math.max(1, Math.ceil(keys.length / perColumn)),
  } as CSSProperties;
  const items = useMemo(() => [...keys], [keys]);
  // A window of 0 is every container at once (the engine's parallelism 0).
  const windowed = window ? (parallelism === 0 ? keys.length : Math.min(parallelism, keys.length)) : 0;
  return (
    <section ref={setNodeRef} data-lane={id} style={style} className={`plan-lane${isDragging ? ' is-placeholder' : ''}${keys.length === 0 ? ' is-empty' : ''}`} aria-labelledby={`${id}-name`}>
      <div className="plan-lane-head">
        {editable && !window && (
          <button ref={setActivatorNodeRef} type="button" className="plan-lane-handle" {...attributes} {...listeners} aria-label={`Move ${name}`} title={`Drag to move ${name}, or Space then ← →`}>
            ⠿
          </button>
        )}
        <span id={`${id}-name`} className="plan-lane-name">{name}</span>
        <span className="muted">{keys.length === 0 ? 'empty' : `${keys.length}`}</span>
        {window && (
          <span className="plan-window-note">
            {parallelism === 0 ? 'window of all: every container at once' : `window of ${parallelism}: the first ${windowed} run at once, then each next one as one ends`}
          </span>
        )}
        {editable && !window && keys.length === 0 && (
          <button type="button" className="plan-lane-remove" aria-label={`Remove ${name}`} title={`Remove the empty ${name}`} onClick={() => usePlanner.getState().removeLane(index)}>
            ×
          </button>
        )}
      </div>
      <SortableContext items={items} strategy={rectSortingStrategy}>
        <ol className="plan-cards" aria-label={name}>
          {keys.map((key, i) => {
            const card = cards.get(key);
            if (!card) return null;
            return (
              <PlanCard
                key={key}
                card={card}
                live={live.get(key)}
                editable={editable}
                now={now}
                position={i + 1}
                inWindow={i < windowed}
                menu={window ? undefined : { lane: index, lanes: laneCount }}
              />
            );
          })}
          {keys.length === 0 && <li className="plan-lane-drop" aria-hidden="true">Drop containers here</li>}
        </ol>
      </SortableContext>
    </section>
  );
}
