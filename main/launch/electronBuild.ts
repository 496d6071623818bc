// Bundles the Electron shell: the main process and the sandboxed preload (which may only require 'electron').
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

export async function buildElectronShell(): Promise<void> {
  await build({ ...common, entryPoints: [path.join(ROOT, 'main/electron/app.ts')], outfile: path.join(ROOT, 'dist/electron/app.cjs'), packages: 'external' });
  await build({ ...common, entryPoints: [path.join(ROOT, 'main/electron/preload.ts')], outfile: path.join(ROOT, 'dist/electron/preload.cjs') });
}
