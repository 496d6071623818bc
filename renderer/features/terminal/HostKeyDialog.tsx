// An SSH host key fleetdeck has never seen: show what to compare (host, address, key type,
// SHA256 fingerprint) and connect only after an explicit "Trust and connect". Cancel has the
// initial focus, so a reflexive Enter never trusts a key.
import { AlertDialog } from '../../components/AlertDialog';
import { useTerminals } from '../../stores/terminals';
import { hostKeyFile } from './sessionText';

export function HostKeyDialog() {
  const prompt = useTerminals((s) => s.hostKeyPrompt);
  const trusting = useTerminals((s) => s.trusting);
  if (!prompt) return null;
  const { hostKey } = prompt;
  const store = useTerminals.getState();
  return (
    <AlertDialog
      title={<>Unknown host key for <span className="mono">{hostKey.host}</span> (<span className="mono">{hostKey.address}</span>)</>}
      confirmLabel="Trust and connect"
      tone="primary"
      initialFocus="cancel"
      busy={trusting}
      className="modal-wide"
      onConfirm={() => void store.trustHostKey()}
      onCancel={() => store.declineHostKey()}
    >
      <p>fleetdeck has no key on record for this host. Check the fingerprint against one you got another way before you trust it.</p>
      <dl className="hostkey">
        <dt>Key type</dt>
        <dd className="mono">{hostKey.keyType}</dd>
        <dt>Fingerprint</dt>
        <dd className="mono hostkey-fp">{hostKey.fingerprint}</dd>
      </dl>
      <p className="muted small">
        On the host: <span className="mono">ssh-keygen -lf {hostKeyFile(hostKey.keyType)}</span>.
        Trusting adds the key to known_hosts; later connections check against it.
      </p>
    </AlertDialog>
  );
}
