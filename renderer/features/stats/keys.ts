/** Opens the selected container's stats (charts), in the grid and in the Top view. */
export const STATS_KEY = 'i';
/** Switches the main area between the containers grid and the fleet Top view. */
export const TOP_KEY = 't';
