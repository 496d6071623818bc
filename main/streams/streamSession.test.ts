// The stream-session piece on a fake clock: held events and their replay, watermark pausing of
// the source, forgetting what departed subscribers never acked, a bounded hold, the orphan timeout.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fakeClock';
import { StreamSession, type Hold } from './streamSession';

type Ev = { text: string };

function setup(options: { hold?: Hold<Ev> } = {}) {
  const clock = new FakeClock();
  const calls: string[] = [];
  let orphaned = 0;
  const session = new StreamSession<Ev>({
    chars: (e) => e.text.length,
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    watermarks: { high: 10, low: 3 },
    clock,
    orphanTimeoutMs: 1_000,
    onOrphan: () => orphaned++,
    log: () => {},
    ...options,
  });
  return { clock, calls, session, orphaned: () => orphaned };
}

describe('StreamSession', () => {
  it('holds events while nobody subscribes and replays them, in order, to the first subscriber', () => {
    const { session } = setup();
    session.send({ text: 'a' });
    session.send({ text: 'b' });
    const got: string[] = [];
    session.subscribe((e) => got.push(e.text));
    session.send({ text: 'c' });
    expect(got).toEqual(['a', 'b', 'c']);
  });

  it('pauses the source above the high watermark and resumes it below the low one', () => {
    const { session, calls } = setup();
    session.subscribe(() => {});
    session.send({ text: 'x'.repeat(11) });
    expect(calls).toEqual(['pause']);
    session.ack(7); // 4 unacked: not below 3
    expect(calls).toEqual(['pause']);
    session.ack(2);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('forgets what departed subscribers never acked, but keeps held events owed', () => {
    const { session, calls } = setup();
    const unsubscribe = session.subscribe(() => {});
    session.send({ text: 'x'.repeat(11) }); // delivered, never acked
    unsubscribe();
    session.send({ text: 'yy' }); // held
    expect(calls).toEqual(['pause']);
    session.subscribe(() => {});
    expect(calls).toEqual(['pause', 'resume']);
    expect(session.flow.unacked).toBe(2);
  });

  it('pauses while a bounded hold is full, and resumes once a subscriber drains it', () => {
    const events: Ev[] = [];
    const hold: Hold<Ev> = {
      push: (e) => void events.push(e),
      drain: () => events.splice(0),
      get chars() {
        return 0;
      },
      get full() {
        return events.length >= 2;
      },
    };
    const { session, calls } = setup({ hold });
    session.send({ text: 'a' });
    expect(calls).toEqual([]);
    session.send({ text: 'b' });
    expect(calls).toEqual(['pause']);
    session.subscribe(() => {});
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('neither pauses nor resumes a stopped source', () => {
    const { session, calls } = setup();
    session.subscribe(() => {});
    session.stop();
    session.send({ text: 'x'.repeat(20) });
    expect(calls).toEqual([]);
  });

  it('calls onOrphan once nobody has subscribed for the orphan timeout, not while someone does', async () => {
    const { session, clock, orphaned } = setup();
    session.watchOrphan();
    const unsubscribe = session.subscribe(() => {});
    await clock.advance(2_000);
    expect(orphaned()).toBe(0);
    unsubscribe();
    await clock.advance(999);
    expect(orphaned()).toBe(0);
    await clock.advance(1);
    expect(orphaned()).toBe(1);
  });

  it('ends every subscriber on dispose, and ends a later one at once', () => {
    const { session } = setup();
    let ends = 0;
    session.subscribe(
      () => {},
      () => ends++,
    );
    session.dispose();
    expect(ends).toBe(1);
    session.subscribe(
      () => {},
      () => ends++,
    );
    expect(ends).toBe(2);
  });

  it('keeps delivering to the others when a subscriber throws', () => {
    const { session } = setup();
    const got: string[] = [];
    session.subscribe(() => {
      throw new Error('boom');
    });
    session.subscribe((e) => got.push(e.text));
    session.send({ text: 'a' });
    expect(got).toEqual(['a']);
  });
});
