// Finds Electron's binary without require('electron'), which would try to download it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function electronBinary(): string | undefined {
  try {
    const pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const relative = readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim();
    const binary = path.join(pkgDir, 'dist', relative);
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}
