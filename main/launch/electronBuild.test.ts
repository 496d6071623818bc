import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildElectronShell } from './electronBuild';
import { ROOT } from './rendererBuild';

const outDir = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-electron-build-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** A package that offers no CommonJS entry: "type": "module" and no "require" or "main" to fall back on. */
function esmOnly(name: string): boolean {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { type?: string; main?: string; exports?: unknown };
  const exportsText = JSON.stringify(pkg.exports ?? {});
  const cjsEntry = /"require"/.test(exportsText) || /\.cjs"/.test(exportsText) || (pkg.type !== 'module' && (pkg.main !== undefined || pkg.exports === undefined));
  return !cjsEntry;
}

describe('the Electron main bundle', () => {
  it('requires only packages with a CommonJS entry; ES-module-only ones are bundled in', async () => {
    expect(esmOnly('p-limit')).toBe(true); // the check itself recognises one
    await buildElectronShell(outDir);
    const bundle = readFileSync(path.join(outDir, 'app.cjs'), 'utf8');
    const required = [...new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!))].filter((name) => name !== 'electron' && !name.startsWith('node:'));
    expect(required).toContain('dockerode');
    expect(required.filter(esmOnly)).toEqual([]);
  });
});
