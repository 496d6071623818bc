// The Logs view: PLACEHOLDER until the log view lands (issue 14, helper L3).
export function LogsView() {
  return <p className="muted">No logs open.</p>;
}
