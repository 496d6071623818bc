// fleetdeck --help: every command, its JSON shape and its exit codes.
import { ROLLOUT_HELP } from './rolloutArgs';

// Every rollout command is wired: their help as rolloutArgs.ts gives it.
const { commands: ROLLOUT_COMMANDS_HELP, options: ROLLOUT_OPTIONS_HELP, exitCodes: ROLLOUT_EXIT_HELP } = ROLLOUT_HELP;
export const HELP = `fleetdeck — operations console for Docker fleets (command-line interface)

Usage:
  fleetdeck [--fleet FILE] [--timeout SECONDS] COMMAND [--json]

Commands:
  hosts         every host: state (online, offline, error, connecting), engine, CPUs, memory.
                --json: [{name, address, state, error?, engineVersion?, ncpu?, memTotal?,
                containersRunning?, containersTotal?}]
  ps            every container on every host, stopped ones included.
                --json: [{host, id, name, image, state, status, health?, service?, group?,
                ips: [{network, ip, mac}]}]
  stats --once  CPU, memory, network and block I/O of every running container, like
                "docker stats --no-stream": two samples 1 s apart, so CPU % is real.
                Memory excludes the inactive file cache, as docker stats does. With --json,
                bytes are integers: [{host, name, id, cpuPercent, memUsage, memLimit,
                memPercent, blkRead, blkWrite, netRx, netTx, pids}]. --once is required:
                live stats are the console's job.
  start --container HOST/NAME
  stop --container HOST/NAME
  restart --container HOST/NAME
                start, stop (10 s grace, then kill) or restart one container, by name or
                id, through the console's action path: recorded in the audit log with
                your user and source "cli". Connects to HOST alone.
                --json: {ok, action, host, container, id, message, code?}; code (when not
                ok) is not-found, conflict, host-offline, timeout or daemon.
  audit [--since DURATION]
                who did what, from the audit log in the data directory, oldest first;
                contacts no host. DURATION: a number and s, m, h or d (30s, 15m, 2h, 7d).
                --json: one object per action, merged from its start and end lines:
                [{id, time, endTime?, user, source: "console"|"cli", action,
                target: {host, container?, service?}, params?,
                result: "ok"|"failed"|"unknown", error?}]. "unknown": the action started
                and never ended (cut off, or still running). Times are ISO 8601 UTC.
  images [--registry URL]
                every tag of every repository in the fleet file's registries (or in
                URL's alone: its url or host[:port] as in the fleet file), with the digest
                the registry gives now; contacts no docker host. Credentials: the fleet
                file's, else docker's config.json auths, else its credential helper.
                --json: [{registry, repository, tag, digest, created?, size?}]; created
                is ISO 8601 (the image config's), size the sum of the layers in bytes.
                A registry that fails is named on stderr with why: auth, tls,
                unreachable, timeout, not-found or protocol.
  digest IMAGE_REF
                the digest IMAGE_REF's tag (latest if none) points to in the registry
                now, e.g. 198.18.0.1:5000/lab/app:1.0; a digest reference is checked to
                exist. The registry must be in the fleet file. Prints the digest alone;
                --json: {ref, registry, repository, tag?, digest, mediaType,
                platformDigest?}; platformDigest: for a multi-platform index, the
                linux/amd64 manifest's digest.
  ip [--segment S]
                every container address on every host, stopped static holders too;
                S is a segment id (its subnet, e.g. 198.18.4.0/24, or a fleet file
                segments: name). --json: [{segment, ip, mac?, host, container,
                static, state}]
  ip conflicts  the same IP or MAC twice in a segment (any hosts), a container on a
                host's address or the router, a static IP outside its pool's range,
                an IP whose MAC changed in the last 4 h (ARP caches may still hold
                the old one; the MAC history is in the data directory). A stopped
                holder's conflict is latent: it fires when the holder starts.
                --json: [{kind, segment, ip?, mac?, holders: [{host, container}],
                latent, since, detail}]; kind is duplicate-ip, duplicate-mac,
                host-address, outside-pool or mac-changed
  ip next --segment S --name NAME
                the IP the segment's pool (ipPools in the fleet file) would give a
                container named NAME now; --json: {segment, name, ip}
  logs --container HOST/NAME | --service S  [--tail N] [--since DURATION]
       [--follow] [--timestamps] [--grep RE]
                a container's logs (by name or id), or every replica of a service merged
                by time (each line tagged NAME·HOST). As docker logs: every line unless
                --tail N; the container's stdout to stdout, its stderr to stderr; a TTY
                container's raw lines. --follow keeps printing until Ctrl-C; --grep
                prints only lines matching the regular expression RE.
                --json: one {time, host, container, stream: "stdout"|"stderr", line} per
                line (not an array), time as the daemon gave it (RFC 3339).
  alerts [--since DURATION]
                alerts on record in the data directory, oldest first (the console's and
                every watch's); contacts no host. --json: one {time, kind, host,
                container?, service?, exitCode?, message} per line (not an array); kind
                is die, oom, unhealthy, restart-loop, memory-near-limit, host-offline or
                host-back. The fleet file's alerts: section sets kinds, thresholds, the
                cooldown (5 min per container and kind) and mutes.
  alerts --watch
                follows the fleet and prints one line per alert as it fires (this
                watch's own and any other process's on the data directory), until
                Ctrl-C; a die that fleetdeck's own start, stop, restart or rollout
                caused raises nothing. Same --json lines.
${ROLLOUT_COMMANDS_HELP}
Options:
  --fleet FILE       fleet file (YAML). Without it: DOCKER_HOST, then the current
                     docker context, then /var/run/docker.sock
  --timeout SECONDS  how long to wait for hosts to answer (default 10); registry
                     requests have their own timeouts
  --json             machine-readable output
  --once             (stats) one reading, then exit
  --container HOST/NAME  (start, stop, restart, logs) the container to act on
  --since DURATION   (audit) only actions started that long ago or later; (logs) only
                     lines written that long ago or later
                     (alerts) only alerts fired that long ago or later
  --registry URL     (images) one registry of the fleet file instead of all
  --segment S        (ip) one segment; (ip next) the pool's segment
  --name NAME        (ip next) the container's name
  --tail N           (logs) the last N lines of each container (default all)
  --follow, -f       (logs) keep following until interrupted
  --timestamps, -t   (logs) each line's time first
  --grep RE          (logs) only lines matching RE
  --watch, -w        (alerts) print alerts as they fire, until interrupted
${ROLLOUT_OPTIONS_HELP}  -h, --help         this help

Data directory (the audit log, the rollout journal, the IP map's MAC history, the alert history): $FLEETDECK_DATA_DIR, else
$XDG_DATA_HOME/fleetdeck, else ~/.local/share/fleetdeck. The console and the CLI share it.

Exit codes:
  hosts, ps, stats   0 all hosts answered; 3 some hosts did not answer (they are listed
                     on stderr, the others are printed); 1 error (e.g. a bad fleet file)
  start, stop, restart
                     0 done (or already in that state); 1 unknown host or container,
                     or the action failed; 3 the host is offline (or did not answer)
  audit              0 printed; 1 the log cannot be read
  images             0 every registry answered; 3 some did not (named on stderr, the
                     others are printed); 1 none did, the registry is not in the fleet
                     file, or the fleet file lists none
  digest             0 printed; 1 the registry is not in the fleet file, the tag does
                     not exist, or the registry refused (auth, tls, protocol); 3 the
                     registry is unreachable or timed out; 2 a bad image reference
  ip, ip next        0 printed; 3 some hosts did not answer (named on stderr); 1 no
                     such segment, no pool or no free address (ip next), or an error
  ip conflicts       5 conflicts found (latent ones too), printed; 0 none; 3 none
                     among the hosts that answered, some did not
  logs               0 printed (with --follow: until interrupted); 1 no such host,
                     container or service, or a source failed; 3 a host did not answer
  alerts             0 printed (with --watch: until interrupted); 1 the history cannot
                     be read, or a bad fleet file (--watch)
${ROLLOUT_EXIT_HELP}  any                2 bad usage

Examples:
  fleetdeck --fleet fleet.yaml hosts
  fleetdeck --fleet fleet.yaml ps --json | jq '.[] | select(.state != "running")'
  fleetdeck --fleet fleet.yaml stats --once --json | jq 'sort_by(-.cpuPercent) | .[:5]'
  fleetdeck --fleet fleet.yaml restart --container h1/payments-api-1
  fleetdeck audit --since 2h --json | jq '.[] | select(.result != "ok")'
  fleetdeck --fleet fleet.yaml images --json | jq '.[] | select(.tag == "1.0")'
  fleetdeck --fleet fleet.yaml digest 198.18.0.1:5000/lab/app:1.0
  fleetdeck --fleet fleet.yaml ip conflicts --json | jq '.[] | select(.latent | not)'
  fleetdeck --fleet fleet.yaml ip next --segment 198.18.4.0/24 --name web-7
  fleetdeck --fleet fleet.yaml logs --service web --since 15m --grep 'timeout|refused'
  fleetdeck --fleet fleet.yaml alerts --watch --json | jq -c 'select(.kind != "host-back")'
`;
