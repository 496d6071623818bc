// The layering rules of ARCHITECTURE.md are enforced by ESLint; this proves each rule bites.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '../..') });

async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('layering rules', () => {
  it('shared/ imports only shared/ and zod', async () => {
    expect(await violations('shared/probe.ts', "import { z } from 'zod';\nimport { Host } from './model';\nexport const a = [z, Host];\n")).toEqual([]);
    expect(await violations('shared/probe.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await violations('shared/probe.ts', "import { x } from '../main/core/api';\nexport const a = x;\n")).toHaveLength(1);
    expect(await violations('shared/probe.ts', "import React from 'react';\nexport const a = React;\n")).toHaveLength(1);
  });

  it('renderer/ never imports main/, node:*, electron, dockerode or ssh2', async () => {
    for (const bad of ['node:fs', 'electron', 'dockerode', 'ssh2', '../../main/core/api']) {
      expect(await violations('renderer/features/probe.ts', `import x from '${bad}';\nexport const a = x;\n`)).toHaveLength(1);
    }
    expect(await violations('renderer/features/probe.ts', "import { contract } from '../../shared/contract';\nexport const a = contract;\n")).toEqual([]);
  });

  it('only main/electron/ imports electron, and main/ never imports renderer/', async () => {
    expect(await violations('main/core/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await violations('main/electron/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await violations('main/core/probe.ts', "import { x } from '../../renderer/stores/fleet';\nexport const a = x;\n")).toHaveLength(1);
  });

  it('IPC handlers are registered only through main/electron/ipc.ts', async () => {
    expect(await violations('main/electron/window.ts', "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n")).toHaveLength(1);
    expect(await violations('main/electron/ipc.ts', "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n")).toEqual([]);
  });
});
