// The Alerts view: PLACEHOLDER until the alerts panel lands (issue 14, helper L5).
export function AlertsView() {
  return <p className="muted">No alerts.</p>;
}
