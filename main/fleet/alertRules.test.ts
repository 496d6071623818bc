import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FleetEnv } from './environment';
import { DEFAULT_ALERT_RULES } from './alertRules';
import { FleetFileError, loadFleetFile } from './fleetFile';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-alert-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env: FleetEnv = { home: path.join(dir, 'home'), user: 'sre', vars: {} };
const HOSTS = 'hosts:\n  - name: h1\n    docker: unix:///var/run/docker.sock\n';

function load(text: string) {
  const file = path.join(dir, `fleet-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return { file, spec: () => loadFleetFile(file, env) };
}

function problems(text: string): { file: string; problems: string[] } {
  const { file, spec } = load(text);
  try {
    spec();
  } catch (err) {
    expect(err).toBeInstanceOf(FleetFileError);
    return { file, problems: (err as FleetFileError).problems };
  }
  throw new Error('expected the fleet file to be refused');
}

describe('fleet file alerts:', () => {
  it('without a section, every kind is on with the issue’s thresholds and a 5 min cooldown', () => {
    expect(load(HOSTS).spec().alerts).toEqual(DEFAULT_ALERT_RULES);
    expect(DEFAULT_ALERT_RULES).toEqual({
      kinds: { die: true, oom: true, unhealthy: true, 'restart-loop': true, 'memory-near-limit': true, 'host-offline': true, 'host-back': true },
      restartLoop: { restarts: 3, windowMs: 300_000 },
      memory: { percent: 90, forMs: 30_000 },
      cooldownMs: 300_000,
      mute: { services: [], groups: [] },
    });
  });

  it('turns kinds off, sets thresholds and the cooldown, and mutes services and groups', () => {
    const { spec } = load(`${HOSTS}services: { label: app, groupLabel: team }
alerts:
  cooldown: 90s
  unhealthy: false
  host-back: false
  restart-loop: { restarts: 5, window: 10m }
  memory-near-limit: { percent: 80, for: 1m }
  mute: { services: [batch, cron], groups: [research] }
`);
    expect(spec().alerts).toEqual({
      kinds: { die: true, oom: true, unhealthy: false, 'restart-loop': true, 'memory-near-limit': true, 'host-offline': true, 'host-back': false },
      restartLoop: { restarts: 5, windowMs: 600_000 },
      memory: { percent: 80, forMs: 60_000 },
      cooldownMs: 90_000,
      mute: { services: ['batch', 'cron'], groups: ['research'] },
    });
  });

  it('a kind with thresholds turns off with false or enabled: false, keeping the defaults otherwise', () => {
    const rules = load(`${HOSTS}alerts:\n  restart-loop: false\n  memory-near-limit: { enabled: false, percent: 95 }\n`).spec().alerts!;
    expect(rules.kinds['restart-loop']).toBe(false);
    expect(rules.kinds['memory-near-limit']).toBe(false);
    expect(rules.memory).toEqual({ percent: 95, forMs: 30_000 });
    expect(rules.restartLoop).toEqual(DEFAULT_ALERT_RULES.restartLoop);
  });

  it('reports each bad rule as FILE:LINE: key: message', () => {
    const { file, problems: found } = problems(`${HOSTS}alerts:
  cooldown: soon
  restart-loop:
    restarts: 0
    window: 500ms
  memory-near-limit: { percent: 120 }
  dies: true
`);
    expect(found).toEqual(
      expect.arrayContaining([
        `${file}:5: alerts.cooldown: not a duration: "soon" (a whole number and ms, s, m, h or d, e.g. 30s or 5m)`,
        `${file}:7: alerts.restart-loop.restarts: at least 1 (the alert fires at one more than this)`,
        `${file}:8: alerts.restart-loop.window: 500ms is too short: at least 1s`,
        `${file}:9: alerts.memory-near-limit.percent: a percentage up to 100`,
        expect.stringMatching(new RegExp(`^${file.replace(/[.]/g, '\\.')}:5: alerts: Unrecognized key: "dies"`)),
      ]),
    );
    expect(found).toHaveLength(5);
  });

  it('an unknown key inside a kind, and a kind that is not on/off, are refused at their line', () => {
    const { file, problems: found } = problems(`${HOSTS}alerts:\n  die: sometimes\n  restart-loop: { count: 3 }\n`);
    expect(found).toEqual([expect.stringMatching(new RegExp(`^${file.replace(/[.]/g, '\\.')}:5: alerts\\.die: `)), expect.stringMatching(new RegExp(`^${file.replace(/[.]/g, '\\.')}:6: alerts\\.restart-loop: Unrecognized key: "count"`))]);
  });

  it('muting by group needs services.groupLabel', () => {
    const { file, problems: found } = problems(`${HOSTS}alerts:\n  mute:\n    groups: [research]\n`);
    expect(found).toEqual([`${file}:6: alerts.mute.groups: muting by group needs services.groupLabel (the label naming a container’s group)`]);
  });
});
