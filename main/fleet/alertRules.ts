// The fleet file's `alerts:` section: which kinds are raised, their thresholds, the cooldown, and
// what is muted. Its schema (problems reported at their key, as the rest of the file's) and the
// rules main/alerts runs on, with the issue's defaults where the file says nothing.
import { z } from 'zod';
import { AlertKind } from '../../shared/alerts';
import { parseDuration } from '../cli/duration';

export interface AlertRules {
  /** Whether each kind is raised at all. */
  kinds: Record<AlertKind, boolean>;
  /** restart-loop: more than `restarts` restarts within `windowMs`. */
  restartLoop: { restarts: number; windowMs: number };
  /** memory-near-limit: at least `percent` of the limit for `forMs`. */
  memory: { percent: number; forMs: number };
  /** One alert per container (or host) and kind within this. */
  cooldownMs: number;
  /** Containers of these services or groups raise nothing (host kinds are never muted). */
  mute: { services: string[]; groups: string[] };
}

/** The issue's figures: more than 3 restarts in 5 min, 90 % for 30 s, a 5 min cooldown. */
export const DEFAULT_ALERT_RULES: AlertRules = {
  kinds: Object.fromEntries(AlertKind.options.map((k) => [k, true])) as Record<AlertKind, boolean>,
  restartLoop: { restarts: 3, windowMs: 5 * 60_000 },
  memory: { percent: 90, forMs: 30_000 },
  cooldownMs: 5 * 60_000,
  mute: { services: [], groups: [] },
};

/** A duration as the CLI writes one (30s, 5m, 2h), in ms; `min` the smallest that makes sense, and why. */
const duration = (min?: { ms: number; why: string }) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: `not a duration: "${text}" (a whole number and ms, s, m, h or d, e.g. 30s or 5m)` });
    else if (min && ms < min.ms) ctx.addIssue({ code: 'custom', message: `${text} is too short: ${min.why}` });
    return ms ?? 0;
  });

/** A kind is `true`, `false`, or (for those with thresholds) an object of them, on unless `enabled: false`. */
const onOff = <T extends z.ZodRawShape>(shape: T) => z.preprocess((v) => (typeof v === 'boolean' ? { enabled: v } : v), z.object({ enabled: z.boolean().default(true), ...shape }).strict());

const names = z.array(z.string().min(1)).default([]);

export const AlertsEntry = z
  .object({
    cooldown: duration().optional(),
    die: z.boolean().optional(),
    oom: z.boolean().optional(),
    unhealthy: z.boolean().optional(),
    'restart-loop': onOff({
      restarts: z.number().int('a whole number of restarts').min(1, 'at least 1 (the alert fires at one more than this)').optional(),
      window: duration({ ms: 1_000, why: 'at least 1s' }).optional(),
    }).optional(),
    'memory-near-limit': onOff({
      percent: z.number().gt(0, 'a percentage above 0').max(100, 'a percentage up to 100').optional(),
      // 0s: the first sample at or above the threshold raises it.
      for: duration().optional(),
    }).optional(),
    'host-offline': z.boolean().optional(),
    'host-back': z.boolean().optional(),
    mute: z.object({ services: names, groups: names }).strict().optional(),
  })
  .strict();

type Path = (string | number)[];

/** The rules of an `alerts:` section (none: the defaults); a group mute needs services.groupLabel. */
export function buildAlertRules(entry: z.infer<typeof AlertsEntry> | undefined, groupLabel: string | undefined, problem: (where: Path, message: string) => void): AlertRules {
  const d = DEFAULT_ALERT_RULES;
  if (!entry) return d;
  const loop = entry['restart-loop'];
  const memory = entry['memory-near-limit'];
  const kinds = { ...d.kinds };
  for (const kind of ['die', 'oom', 'unhealthy', 'host-offline', 'host-back'] as const) kinds[kind] = entry[kind] ?? true;
  kinds['restart-loop'] = loop?.enabled ?? true;
  kinds['memory-near-limit'] = memory?.enabled ?? true;
  const mute = { services: entry.mute?.services ?? [], groups: entry.mute?.groups ?? [] };
  if (mute.groups.length > 0 && !groupLabel) problem(['alerts', 'mute', 'groups'], 'muting by group needs services.groupLabel (the label naming a container’s group)');
  return {
    kinds,
    restartLoop: { restarts: loop?.restarts ?? d.restartLoop.restarts, windowMs: loop?.window ?? d.restartLoop.windowMs },
    memory: { percent: memory?.percent ?? d.memory.percent, forMs: memory?.for ?? d.memory.forMs },
    cooldownMs: entry.cooldown ?? d.cooldownMs,
    mute,
  };
}
