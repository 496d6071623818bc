// The rollout commands' arguments: every command and option read into its request, usage errors
// (exit 2) against bad input (exit 1), the durations they take, and the help text for the wiring.
import { describe, expect, it } from 'vitest';
import { buildPlan, targetKey } from '../rollout/plan';
import { parseDuration } from './duration';
import { EXIT } from './exitCodes';
import { HELP } from './help';
import { isRollingRestart, parseRolloutArgs, ROLLOUT_HELP, RolloutArgsError, type RolloutRequest } from './rolloutArgs';

const parse = (line: string): RolloutRequest => parseRolloutArgs(line.split(' '));

function failure(argv: string[]): RolloutArgsError {
  try {
    parseRolloutArgs(argv);
  } catch (err) {
    if (err instanceof RolloutArgsError) return err;
    throw err;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('rollout command arguments', () => {
  it('reads a deploy with every option', () => {
    const argv = [
      'deploy',
      '--service',
      'payments',
      '--image',
      '198.18.0.1:5000/lab/app:1.1',
      '--parallelism',
      '2',
      '--delay',
      '500ms',
      '--monitor',
      '10s',
      '--failure-action',
      'rollback',
      '--max-failure-ratio',
      '0.25',
      '--order',
      'start-first',
      '--sequence',
      'h2/payments-2,h1/payments-1',
      '--dry-run',
      '--json',
    ];
    expect(parseRolloutArgs(argv)).toEqual({
      command: 'deploy',
      action: 'deploy',
      json: true,
      scope: { kind: 'service', service: 'payments' },
      image: '198.18.0.1:5000/lab/app:1.1',
      params: { parallelism: 2, delayMs: 500, monitorMs: 10_000, failureAction: 'rollback', maxFailureRatio: 0.25, order: 'start-first' },
      sequence: ['h2/payments-2', 'h1/payments-1'],
      dryRun: true,
    });
  });

  it('gives only the parameters asked for, so the plan takes its defaults for the rest', () => {
    expect(parse('restart --service web')).toEqual({ command: 'restart', action: 'restart', json: false, scope: { kind: 'service', service: 'web' }, params: {}, dryRun: false });
  });

  it('takes the global options anywhere, leaving --timeout to the CLI check', () => {
    expect(parse('--fleet fleet.yaml rollouts --timeout 5 --json')).toEqual({ command: 'rollouts', fleetFile: 'fleet.yaml', timeout: '5', json: true });
    expect(parse('deploy --image=app:2 --fleet=f.yaml --service=web')).toMatchObject({ fleetFile: 'f.yaml', image: 'app:2', scope: { kind: 'service', service: 'web' } });
  });

  it('reads a --containers scope and --batches lanes', () => {
    expect(parseRolloutArgs(['restart', '--containers', 'h1/a,h2/b,h3/c', '--batches', 'h1/a;h3/c,h2/b'])).toMatchObject({
      scope: { kind: 'containers', containers: ['h1/a', 'h2/b', 'h3/c'] },
      lanes: [['h1/a'], ['h3/c', 'h2/b']],
    });
  });

  it('reads a rollback, with or without a target revision', () => {
    expect(parse('rollback --service web')).toEqual({ command: 'rollback', action: 'rollback', json: false, scope: { kind: 'service', service: 'web' }, params: {}, dryRun: false });
    expect(parse('rollback --service web --to-revision 3 --failure-action continue')).toMatchObject({ toRevision: 3, params: { failureAction: 'continue' } });
    expect(parse('rollback --service web --to-revision 0')).toMatchObject({ toRevision: 0 });
  });

  it('reads resume and abort with their rollout ID, and --help', () => {
    expect(parse('resume r-20261201-1 --json')).toEqual({ command: 'resume', id: 'r-20261201-1', json: true });
    expect(parse('abort r-7')).toEqual({ command: 'abort', id: 'r-7', json: false });
    expect(parse('deploy -h')).toEqual({ command: 'help' });
    expect(parse('abort --help')).toEqual({ command: 'help' });
  });

  it('reads the parameters at their bounds', () => {
    expect(parse('restart --service w --parallelism 0 --delay 0s --monitor 1h --max-failure-ratio 1')).toMatchObject({
      params: { parallelism: 0, delayMs: 0, monitorMs: 3_600_000, maxFailureRatio: 1 },
    });
    expect(['0', '0.5', '.5', '1.', '1.0'].map((r) => (parse(`restart --service w --max-failure-ratio ${r}`) as { params: { maxFailureRatio: number } }).params.maxFailureRatio)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(parse('restart --service w --failure-action pause --order stop-first')).toMatchObject({ params: { failureAction: 'pause', order: 'stop-first' } });
  });

  it('gives what buildPlan takes: parameters, order and lanes, once the service has resolved the scope', () => {
    const request = parseRolloutArgs(['deploy', '--containers', 'h1/a,h2/b,h1/c', '--image', 'app:2', '--batches', 'h2/b;h1/a,h1/c', '--parallelism', '0', '--monitor', '2s']);
    if (request.command !== 'deploy' || request.scope.kind !== 'containers') throw new Error('not a deploy of containers');
    const targets = request.scope.containers.map((key) => {
      const [host = '', name = ''] = key.split('/');
      return { host, name, id: key, from: { image: 'app:1' }, to: { image: request.image }, forcedStopFirst: false };
    });
    const plan = buildPlan({ id: 'r1', action: request.action, targets, params: request.params, ...(request.lanes ? { lanes: request.lanes } : {}) });
    expect(plan.targets.map(targetKey)).toEqual(['h2/b', 'h1/a', 'h1/c']);
    expect(plan.mode).toEqual({ kind: 'batches', lanes: [[0], [1, 2]] });
    expect(plan.params).toMatchObject({ parallelism: 0, monitorMs: 2_000, delayMs: 0, failureAction: 'pause' });
  });

  it.each([
    ['deploy --service web --image app:2 --bogus', /Unknown option '--bogus'/],
    ['deploy --service', /--service <value>' argument missing/],
    ['deploy --service web --dry-run=yes --image app:2', /--dry-run' does not take an argument/],
    ['deploy --service web', /deploy needs --image REF/],
    ['deploy --image app:2', /deploy needs --service S or --containers HOST\/NAME/],
    ['restart', /restart needs --service S or --containers/],
    ['rollback --containers h1/a --service web', /either --service or --containers, not both/],
    ['restart --service web --sequence h1/a --batches h1/a', /either --sequence or --batches, not both/],
    ['restart --service web --image app:2', /--image does not apply to restart/],
    ['deploy --service web --image app:2 --to-revision 2', /--to-revision does not apply to deploy/],
    ['rollouts --service web', /--service does not apply to rollouts/],
    ['resume r1 --dry-run', /--dry-run does not apply to resume/],
    ['abort r1 --parallelism 2', /--parallelism does not apply to abort/],
    ['deploy --service a --service b --image app:2', /--service is given twice/],
    ['restart --service web --delay 1s --delay=2s', /--delay is given twice/],
    ['resume', /resume takes one rollout ID/],
    ['abort r1 r2', /abort takes one rollout ID .*, got 2: r1 r2/],
    ['rollouts extra', /rollouts takes no argument, got "extra"/],
    ['restart web --service web', /restart takes no argument, got "web"/],
    ['ps', /"ps" is not a rollout command \(rollout commands: deploy, restart, rollback, rollouts, resume, abort\)/],
    ['--json', /no command given/],
  ])('%s is bad usage (exit 2)', (line, message) => {
    const err = failure(line.split(' '));
    expect(err.exitCode).toBe(EXIT.usage);
    expect(err.message).toMatch(message);
  });

  it.each([
    ['--parallelism', '-1', /--parallelism takes a whole number ≥ 0 \(0: all at once\), got "-1"/],
    ['--parallelism', '1.5', /--parallelism takes a whole number/],
    ['--parallelism', 'two', /--parallelism takes a whole number/],
    ['--parallelism', '', /--parallelism takes a whole number/],
    ['--delay', '10', /--delay takes a duration such as 500ms, 10s, 5m or 1h, got "10"/],
    ['--delay', '1m30s', /--delay takes a duration/],
    ['--monitor', '-5s', /--monitor takes a duration/],
    ['--monitor', '5 s', /--monitor takes a duration/],
    ['--failure-action', 'retry', /--failure-action takes pause, rollback, continue, got "retry"/],
    ['--failure-action', 'Pause', /--failure-action takes pause, rollback, continue/],
    ['--order', 'random', /--order takes stop-first, start-first, got "random"/],
    ['--max-failure-ratio', '1.5', /--max-failure-ratio takes a number from 0 to 1 .*, got "1.5"/],
    ['--max-failure-ratio', '-0.1', /--max-failure-ratio takes a number from 0 to 1/],
    ['--max-failure-ratio', '25%', /--max-failure-ratio takes a number from 0 to 1/],
    ['--max-failure-ratio', 'NaN', /--max-failure-ratio takes a number from 0 to 1/],
    ['--max-failure-ratio', '1e-1', /--max-failure-ratio takes a number from 0 to 1/],
    ['--sequence', 'h1/a,web-2', /--sequence: "web-2" is not HOST\/NAME/],
    ['--sequence', 'h1/a,,h1/b', /--sequence: "" is not HOST\/NAME/],
    ['--sequence', 'h1/a, h1/b', /--sequence: " h1\/b" holds a space/],
    ['--sequence', 'h1/a,h1/a', /--sequence: h1\/a is named twice/],
    ['--batches', 'h1/a;;h1/b', /--batches: batch 2 is empty/],
    ['--batches', 'h1/a;h2/b,h1/a', /--batches \(batch 2\): h1\/a is named twice/],
    ['--batches', 'h1/a;/b', /--batches \(batch 2\): "\/b" is not HOST\/NAME/],
  ])('%s %j is bad input (exit 1)', (option, value, message) => {
    const err = failure(['restart', '--service', 'web', `${option}=${value}`]);
    expect(err.exitCode).toBe(EXIT.error);
    expect(err.message).toMatch(message);
  });

  it.each([
    [['deploy', '--service', 'web', '--image', 'App:1'], /--image: invalid image reference "App:1"/],
    [['deploy', '--service', 'web', '--image', ''], /--image: invalid image reference "": it is empty/],
    [['deploy', '--service', 'web', '--image=app:1@sha256:0@x'], /--image: invalid image reference .*more than one "@"/],
    [['deploy', '--service', ' ', '--image', 'app:1'], /--service needs a service name/],
    [['deploy', '--containers', 'h1', '--image', 'app:1'], /--containers: "h1" is not HOST\/NAME/],
    [['restart', '--containers', 'h1/a,h1/a'], /--containers: h1\/a is named twice/],
    [['rollback', '--service', 'web', '--to-revision', 'last'], /--to-revision takes a whole number ≥ 0, got "last"/],
    [['rollback', '--service', 'web', '--failure-action', 'rollback'], /a rollback is never rolled back \(a failing one pauses\)/],
  ])('%j is bad input (exit 1)', (argv, message) => {
    const err = failure(argv);
    expect(err.exitCode).toBe(EXIT.error);
    expect(err.message).toMatch(message);
  });

  it('tells a rolling restart from the one-container restart', () => {
    expect(isRollingRestart(['restart', '--service', 'web'])).toBe(true);
    expect(isRollingRestart(['restart', '--containers=h1/a'])).toBe(true);
    expect(isRollingRestart(['restart', '--container', 'h1/a'])).toBe(false);
    expect(isRollingRestart(['restart', '--container', 'h1/a', '--json'])).toBe(false);
  });
});

describe('rollout durations', () => {
  it('read milliseconds too, and still one whole number and one unit', () => {
    expect(['500ms', '0ms', '10s', '5m', '1h'].map(parseDuration)).toEqual([500, 0, 10_000, 300_000, 3_600_000]);
    expect(['ms', '1.5ms', '5mss', '5 ms', '1s500ms'].map(parseDuration)).toEqual(Array(5).fill(undefined));
  });
});

describe('rollout help', () => {
  const text = Object.values(ROLLOUT_HELP).join('');

  it('names every command and option, the JSON summary and the exit codes', () => {
    for (const command of ['deploy --service S --image REF', 'restart --service S', 'rollback --service S [--to-revision N]', 'rollouts', 'resume ID', 'abort ID']) expect(text).toContain(command);
    for (const option of ['--containers', '--parallelism N', '--delay DUR', '--monitor DUR', '--failure-action pause|rollback|continue', '--max-failure-ratio R', '--order stop-first|start-first', '--sequence HOST/NAME,…', "--batches 'HOST/NAME,…;HOST/NAME,…'", '--dry-run'])
      expect(ROLLOUT_HELP.options).toContain(option);
    expect(ROLLOUT_HELP.commands).toMatch(/\{id, service\?, action: .*\n.*state: "completed"\|"paused"\|"rolled-back"\|"failed"\|"aborted",\n.*containers: \[\{host, name, from: \{image, digest\}, to: \{image, digest\},\n\s+state, error\?\}\]\}/);
    expect(ROLLOUT_HELP.exitCodes).toMatch(/0 the rollout completed; 4 it ended paused, failed, rolled back or\n\s+aborted; 1 bad input/);
  });

  it('fits the width of fleetdeck --help and its indentation', () => {
    const width = Math.max(...HELP.split('\n').map((line) => line.length));
    for (const line of text.trimEnd().split('\n')) {
      expect(line.length, line).toBeLessThanOrEqual(width);
      expect(line, 'indented as the sections it joins').toMatch(/^ {2}(\S| {14}\S| {19}\S)/);
    }
  });
});
