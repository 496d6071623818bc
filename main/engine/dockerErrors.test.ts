import { describe, expect, it } from 'vitest';
import { dockerErrorCode, dockerMessage, dockerStatus, hostNotOnline } from './dockerErrors';

const modemError = (statusCode: number, json: unknown) => Object.assign(new Error(`(HTTP code ${statusCode}) unexpected`), { statusCode, json });

describe('dockerErrors', () => {
  it('words an error with the daemon’s own message where it gave one', () => {
    expect(dockerMessage(modemError(404, { message: 'No such container: abc' }))).toBe('No such container: abc');
    expect(dockerMessage(modemError(500, '  page not found\n'))).toBe('page not found');
    expect(dockerMessage(modemError(500, null))).toBe('(HTTP code 500) unexpected');
    expect(dockerMessage('plain')).toBe('plain');
  });

  it('sorts failures into not-found, conflict, timeout, host-offline and daemon', () => {
    expect(dockerErrorCode(modemError(404, {}))).toBe('not-found');
    expect(dockerErrorCode(modemError(409, {}))).toBe('conflict');
    expect(dockerErrorCode(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toBe('timeout');
    expect(dockerErrorCode(Object.assign(new Error('The operation was aborted'), { code: 'ABORT_ERR' }))).toBe('timeout');
    expect(dockerErrorCode(new Error('socket timed out'))).toBe('timeout');
    expect(dockerErrorCode(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe('host-offline');
    // A killed dockerd: its unix socket gone, a call cut mid-answer, sshd unable to reach its socket.
    expect(dockerErrorCode(Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }))).toBe('host-offline');
    expect(dockerErrorCode(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBe('host-offline');
    expect(dockerErrorCode(new Error('socket hang up'))).toBe('host-offline');
    expect(dockerErrorCode(Object.assign(new Error('(SSH) Channel open failure: open failed'), { reason: 2 }))).toBe('host-offline');
    expect(dockerErrorCode(new Error('something else'))).toBe('daemon');
    expect(dockerErrorCode(modemError(500, { message: 'driver failed' }))).toBe('daemon');
    expect(dockerStatus(modemError(304, {}))).toBe(304);
    expect(dockerStatus(null)).toBeUndefined();
  });

  it('says why a host that is not online cannot act, with its problem where it has one', () => {
    expect(hostNotOnline('h2', { state: 'offline', problem: { message: 'connect ECONNREFUSED 198.18.0.12:2376' } })).toBe('h2 is offline (connect ECONNREFUSED 198.18.0.12:2376)');
    expect(hostNotOnline('h3', { state: 'connecting', problem: undefined })).toBe('h3 is connecting');
  });
});
