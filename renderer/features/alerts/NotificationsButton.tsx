// The Alerts view's "Desktop notifications" button: the one place the console asks for the
// browser's permission (on the click, a user gesture). Once granted it turns them off and on for
// this session; blocked or unsupported, it says so.
import { Shape } from '../../components/Shape';
import { useNotifications } from './desktopNotifications';

export function NotificationsButton() {
  const permission = useNotifications((s) => s.permission);
  const enabled = useNotifications((s) => s.enabled);

  if (permission === 'unsupported' || permission === 'denied') {
    return (
      <span className="alerts-notify is-off" title={permission === 'denied' ? 'Blocked for this page: allow notifications in the browser’s site settings' : 'This browser has no desktop notifications'}>
        <Shape kind="square" /> Desktop notifications {permission === 'denied' ? 'blocked' : 'unavailable'}
      </span>
    );
  }
  const on = permission === 'granted' && enabled;
  return (
    <button
      type="button"
      className={`btn btn-small alerts-notify${on ? ' is-on' : ''}`}
      aria-pressed={on}
      title={permission === 'default' ? 'Show a desktop notification for each new alert (the browser asks first)' : on ? 'On: a desktop notification for each new alert' : 'Off for now'}
      onClick={() => void (on ? useNotifications.getState().disable() : useNotifications.getState().enable())}
    >
      <Shape kind={on ? 'dot' : 'ring'} /> Desktop notifications
    </button>
  );
}
