// How tall a lane's columns of cards are: the most cards per column for which every lane, laid
// side by side and wrapping (flex-wrap), fits the lanes' pane; taller columns read as lists, so
// the tallest that fits wins, and when none fits the one that needs the least height. Pure: the
// sizes are PlanLanes.tsx's (and planner.css's, which takes them as custom properties).

/** The box sizes, px (planner.css draws them). */
export type LaneMetrics = {
  cardW: number;
  cardH: number;
  /** Between cards in a lane. */
  cardGap: number;
  /** A lane's padding and border, across and down (its head included down). */
  chromeW: number;
  chromeH: number;
  /** Between lanes. */
  laneGap: number;
};

/** A lane of `n` cards at `perColumn` cards a column: its outer size. */
export function laneSize(n: number, perColumn: number, m: LaneMetrics): { w: number; h: number } {
  const cols = Math.max(1, Math.ceil(n / perColumn));
  const rows = Math.max(1, Math.min(n, perColumn));
  return { w: m.chromeW + cols * m.cardW + (cols - 1) * m.cardGap, h: m.chromeH + rows * m.cardH + (rows - 1) * m.cardGap };
}

/** The height flex-wrap gives these lanes in `width`. */
export function wrappedHeight(lanes: readonly { w: number; h: number }[], width: number, gap: number): number {
  let total = 0;
  let rowW = 0;
  let rowH = 0;
  for (const l of lanes) {
    if (rowW > 0 && rowW + gap + l.w > width) {
      total += rowH + gap;
      rowW = 0;
      rowH = 0;
    }
    rowW += (rowW > 0 ? gap : 0) + l.w;
    rowH = Math.max(rowH, l.h);
  }
  return total + rowH;
}

/** Cards per column for lanes of these sizes in a pane of `box`. */
export function cardsPerColumn(sizes: readonly number[], box: { width: number; height: number }, m: LaneMetrics): number {
  const most = Math.max(1, ...sizes);
  let best = { perColumn: most, height: Infinity };
  for (let perColumn = most; perColumn >= 1; perColumn--) {
    const height = wrappedHeight(sizes.map((n) => laneSize(n, perColumn, m)), box.width, m.laneGap);
    if (height <= box.height) return perColumn;
    if (height < best.height) best = { perColumn, height };
  }
  return best.perColumn;
}
