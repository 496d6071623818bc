// fleetdeck images | digest: the fleet file's registries alone (no docker host is contacted),
// through the console's registry service: every tag with its digest, or the digest a reference
// points to now. A registry that fails is named on stderr with its reason (auth, tls, …).
import { ImageRefError } from '../../shared/imageRef';
import { systemClock } from '../clock/clock';
import { loadFleet } from '../core/open';
import { processFleetEnv } from '../fleet';
import { createFleetRegistryService } from '../registry/fleetRegistries';
import type { RegistryService } from '../registry/registryService';
import { RegistryError } from '../registry/types';
import { EXIT } from './exitCodes';
import { decimalBytes, formatTable, shortTime } from './table';

export interface RegistryCliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export interface ImageRow {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
  created?: string;
  size?: number;
}

/** The fleet's registry service, and its registries' URLs; throws FleetFileError for a bad fleet file. */
function openRegistries(fleetFile: string | undefined): { service: RegistryService; urls: string[] } {
  const spec = loadFleet(fleetFile);
  return { service: createFleetRegistryService(spec.registries, { env: processFleetEnv(), clock: systemClock }), urls: spec.registries.map((r) => r.url) };
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
const reason = (err: unknown) => (err instanceof RegistryError ? `${err.kind}: ${err.message}` : (err as Error).message);

/** Every tag of every repository of the fleet's registries (or of `registry` alone). */
export async function imagesCommand(
  options: { fleetFile: string | undefined; registry: string | undefined; json: boolean },
  io: RegistryCliIo,
): Promise<number> {
  const { service, urls: all } = openRegistries(options.fleetFile);
  let urls = all;
  if (options.registry) {
    try {
      urls = [service.registry(options.registry).url];
    } catch (err) {
      io.err.write(`fleetdeck: ${reason(err)}\n`);
      return EXIT.error;
    }
  }
  if (urls.length === 0) {
    io.err.write('fleetdeck: the fleet lists no registries (add them under "registries:" in the fleet file)\n');
    return EXIT.error;
  }
  const answers = await Promise.all(
    urls.map(async (url) => {
      try {
        const repositories = await service.repositories(url);
        const tags = await Promise.all(repositories.map(async (repository) => ({ repository, tags: await service.tags(url, repository) })));
        return tags.flatMap(({ repository, tags: list }): ImageRow[] =>
          list.map((t) => ({ registry: url, repository, tag: t.tag, digest: t.digest, ...(t.created ? { created: t.created } : {}), ...(t.size !== undefined ? { size: t.size } : {}) })),
        );
      } catch (err) {
        io.err.write(`fleetdeck: registry ${url}: ${reason(err)}\n`);
        return undefined;
      }
    }),
  );
  // The fleet file's registry order, then repositories and tags as people sort them (1.9 before 1.10).
  const rows = answers.flatMap((a) => (a ?? []).sort((x, y) => byName(x.repository, y.repository) || byName(x.tag, y.tag)));
  io.out.write(
    options.json
      ? `${JSON.stringify(rows, null, 2)}\n`
      : formatTable(
          ['REGISTRY', 'REPOSITORY', 'TAG', 'DIGEST', 'CREATED (UTC)', 'SIZE'],
          rows.map((r) => [r.registry, r.repository, r.tag, r.digest, r.created ? shortTime(r.created) : '', r.size !== undefined ? decimalBytes(r.size) : '']),
        ),
  );
  const failed = answers.filter((a) => a === undefined).length;
  if (failed === 0) return EXIT.ok;
  return failed < answers.length ? EXIT.unreachable : EXIT.error;
}

/** The digest the registry gives now for one reference. */
export async function digestCommand(options: { fleetFile: string | undefined; ref: string; json: boolean }, io: RegistryCliIo): Promise<number> {
  const { service } = openRegistries(options.fleetFile);
  try {
    const resolved = await service.resolve(options.ref);
    io.out.write(options.json ? `${JSON.stringify(resolved, null, 2)}\n` : `${resolved.digest}\n`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ImageRefError) {
      io.err.write(`fleetdeck: ${err.message}\nRun "fleetdeck --help" for usage.\n`);
      return EXIT.usage;
    }
    io.err.write(`fleetdeck: ${reason(err)}\n`);
    const unanswered = err instanceof RegistryError && (err.kind === 'unreachable' || err.kind === 'timeout');
    return unanswered ? EXIT.unreachable : EXIT.error;
  }
}
