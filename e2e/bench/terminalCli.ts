// The terminal bench's baseline: the docker CLI on the same container over the same transport
// (TLS, or ssh:// with the lab's key and known_hosts), its output to /dev/null, and the CPU it
// used (its own and its children's, such as ssh).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LabHost } from '../support/lab';
import { labSshShim } from '../support/lab';

const exec = promisify(execFile);
/** /proc's times are in clock ticks: `getconf CLK_TCK` is 100 on Linux. */
const CLK_TCK = 100;

export function dockerVia(host: LabHost, labDir: string): string {
  return host.tcp
    ? `docker -H ${host.tcp} --tlsverify --tlscacert ${labDir}/pki/ca.pem --tlscert ${labDir}/pki/cert.pem --tlskey ${labDir}/pki/key.pem`
    : `PATH=${labSshShim()}:$PATH docker -H ssh://${host.ssh}`;
}

/**
 * Runs `docker exec -t CONTAINER sh -c SCRIPT`, its output to /dev/null, or counted by `wc -c`
 * (`count`, whose CPU then adds a little); returns its wall time, the bytes when counted, and the
 * CPU seconds of the CLI and its children, read from the wrapping shell's cutime + cstime in
 * /proc/self/stat once the CLI has been waited for.
 */
export async function cliExec(via: string, container: string, script: string, count = false): Promise<{ wallS: number; cpuS: number; bytes: number }> {
  const start = performance.now();
  const { stdout } = await exec('sh', ['-c', `${via} exec -t ${container} sh -c "${script}" ${count ? '| wc -c' : '> /dev/null'}; cat /proc/$$/stat`]);
  const wallS = (performance.now() - start) / 1000;
  const stat = stdout.slice(stdout.lastIndexOf('\n', stdout.lastIndexOf('(')) + 1);
  // Fields after "(comm)": state is field 3, cutime 16 and cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
  const cpuS = (Number(fields[16 - 3]) + Number(fields[17 - 3])) / CLK_TCK;
  return { wallS, cpuS, bytes: count ? Number(stdout.slice(0, stdout.indexOf('\n'))) : NaN };
}
