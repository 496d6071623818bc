// How a terminal tab reads: its title, why it could not open, how it ended. Pure; the views
// call these (stores never format for display).
import type { ContainerState } from '../../../shared/model';
import type { TerminalTarget } from '../../../shared/terminal';
import type { FailureReason } from '../../stores/terminals';

/** A tab's title in parts: the name (which may be shortened), then what never is. */
export type TitleParts = { name: string; rest: string };

/** "payments-api-1" + " · h1", " · h1 as root"; "h1" + " (ssh)". */
export function tabTitleParts(target: TerminalTarget, name: string): TitleParts {
  if (target.kind === 'host') return { name: target.host, rest: ' (ssh)' };
  return { name, rest: ` · ${target.host}${target.user ? ` as ${target.user}` : ''}` };
}

/** "payments-api-1 · h1", "payments-api-1 · h1 as root", "h1 (ssh)". */
export function tabTitle(target: TerminalTarget, name: string): string {
  const p = tabTitleParts(target, name);
  return p.name + p.rest;
}

/**
 * Shortens in the middle, keeping more of the end: replicas differ at the end
 * ("payments-gateway-1" vs "-2"), so "paym…eway-1" beats "payments-gat…".
 */
export function middleEllipsis(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…';
  const keep = max - 1;
  const tail = Math.ceil(keep * 0.55);
  return `${text.slice(0, keep - tail)}…${text.slice(text.length - tail)}`;
}

/**
 * Fits a title into `chars` characters: whole if it fits. Otherwise a short suffix like
 * " (ssh)" stays and the name is shortened in the middle; a long one (" · dc3-h0015") is
 * dropped first, since the name tells tabs apart and the full title is in the tooltip, the
 * session list and the accessible name.
 */
export function fitTitle(parts: TitleParts, chars: number): TitleParts {
  if (parts.name.length + parts.rest.length <= chars) return parts;
  if (parts.rest.length <= 6) return { name: middleEllipsis(parts.name, Math.max(5, chars - parts.rest.length)), rest: parts.rest };
  if (parts.name.length <= chars) return { name: parts.name, rest: '' };
  return { name: middleEllipsis(parts.name, Math.max(5, chars)), rest: '' };
}

/** What the tab runs, for its tooltip: "docker exec -it --user root payments-api-1 /bin/sh". */
export function targetDescription(target: TerminalTarget, name: string, command: string | undefined): string {
  if (target.kind === 'host') return `SSH shell on ${target.host}${command ? ` (${command})` : ''}`;
  const cmd = command ?? target.command?.join(' ') ?? 'bash or sh';
  return `Shell in ${name} on ${target.host}${target.user ? ` as ${target.user}` : ''}: ${cmd}`;
}

export type Wording = { headline: string; detail: string | undefined; tone: 'error' | 'danger' | 'info' };

/** Why a tab has no session. `state` is the container's state in the fleet, when known. */
export function failureWording(
  reason: FailureReason,
  message: string,
  target: TerminalTarget,
  name: string,
  state?: ContainerState,
): Wording {
  const w = word(reason, message.trim() || undefined, target, name, state);
  // Main often words it the same way already: say it once.
  if (w.detail && norm(w.detail) === norm(w.headline)) return { ...w, detail: undefined };
  return w;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

function word(reason: FailureReason, detail: string | undefined, target: TerminalTarget, name: string, state: ContainerState | undefined): Wording {
  switch (reason) {
    case 'not-running':
      return { headline: `${name} is ${state && state !== 'running' ? state : 'not running'} — start it first`, detail, tone: 'error' };
    case 'no-shell':
      return target.kind === 'container' && target.command
        ? { headline: `${name} cannot run ${target.command.join(' ')}`, detail, tone: 'error' }
        : { headline: `${name} has no shell (tried /bin/bash and /bin/sh)`, detail: detail ?? 'Use "Shell as…" to run another command.', tone: 'error' };
    case 'host-down':
      return { headline: `Host ${target.host} is not reachable`, detail, tone: 'error' };
    case 'no-ssh':
      return { headline: `No SSH access configured for ${target.host}`, detail: detail ?? 'Add an ssh: entry for this host to the fleet file.', tone: 'error' };
    case 'changed-host-key':
      return {
        headline: `Host key for ${target.host} has CHANGED — connection refused`,
        detail: 'Someone may be intercepting this connection (man-in-the-middle), or the host was reinstalled. '
          + 'fleetdeck will not connect. If you know why the key changed, remove its old line from known_hosts.',
        tone: 'danger',
      };
    case 'unknown-host-key':
      return { headline: `The host key of ${target.host} is not known yet`, detail: 'Confirm it in the dialog (Reconnect shows it again).', tone: 'info' };
    case 'untrusted':
      return { headline: `Not connected: the host key of ${target.host} was not trusted`, detail: 'Reconnect to see the key again.', tone: 'info' };
    case 'error':
      return { headline: `Could not open the shell on ${target.kind === 'container' ? `${name} · ` : ''}${target.host}`, detail, tone: 'error' };
  }
}

/** "Session ended — exit code 0"; without a code, main's message says why. */
export function exitWording(code: number | null, message: string): { headline: string; detail: string | undefined } {
  const m = message.trim() || undefined;
  if (code === null) return { headline: m ? `Session ended — ${m}` : 'Session ended', detail: undefined };
  return { headline: `Session ended — exit code ${code}`, detail: m };
}

/** Where a host keeps its key of this type: "ssh-ed25519" → /etc/ssh/ssh_host_ed25519_key.pub. */
export function hostKeyFile(keyType: string): string {
  const kind = keyType.startsWith('ecdsa-') ? 'ecdsa' : keyType.replace(/^ssh-/, '');
  return `/etc/ssh/ssh_host_${kind}_key.pub`;
}
