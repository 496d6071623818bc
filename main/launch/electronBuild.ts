// Bundles the Electron shell: the main process and the sandboxed preload (which may only require 'electron').
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { ROOT } from './rendererBuild';

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning',
  // The core reads package.json relative to import.meta.url; dist/electron/ sits as deep as main/core/.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/**
 * Packages published only as ES modules: a CommonJS bundle can require() them only on Node
 * versions with require(esm) (20.19+, 22.12+), so they go inside the bundle.
 */
const ESM_ONLY = new Set(['p-limit']);

export async function buildElectronShell(outDir: string = path.join(ROOT, 'dist/electron')): Promise<void> {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const external = ['electron', ...Object.keys(pkg.dependencies).filter((name) => !ESM_ONLY.has(name))];
  await build({ ...common, external, entryPoints: [path.join(ROOT, 'main/electron/app.ts')], outfile: path.join(outDir, 'app.cjs') });
  await build({ ...common, entryPoints: [path.join(ROOT, 'main/electron/preload.ts')], outfile: path.join(outDir, 'preload.cjs') });
}
