// Vite config for the renderer (Vitest has its own vitest.config.ts).
//
// build:  root `renderer/`, output `dist/renderer/`, base './' (loaded from file:// or the
//         browser-mode server alike). The page's CSP is `script-src 'self'`, so the build
//         fails if any inline <script> ends up in the HTML.
// serve:  root is the repo, so both the real page (/renderer/index.html) and the dev fixture
//         (/e2e/fixtures/fake.html?hosts=1000&containers=10000) are served by one dev server.
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const repoRoot = dirname(fileURLToPath(import.meta.url));
const rendererRoot = resolve(repoRoot, 'renderer');

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/**
 * Dev only: plugin-react injects an inline module script (the Fast Refresh preamble). Rather
 * than loosen the CSP, allow exactly that script by its hash. Never applied to builds.
 */
function devCspHashes(): Plugin {
  return {
    name: 'fleetdeck:dev-csp-hashes',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const hashes = [...html.matchAll(INLINE_SCRIPT)]
          .map((m) => `'sha256-${createHash('sha256').update(m[1] ?? '').digest('base64')}'`);
        if (hashes.length === 0) return html;
        return html.replace(/script-src 'self'/, `script-src 'self' ${hashes.join(' ')}`);
      },
    },
  };
}

/** Build only: the shipped page must not need 'unsafe-inline' or hashes. */
function forbidInlineScripts(): Plugin {
  return {
    name: 'fleetdeck:forbid-inline-scripts',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.html')) continue;
        const html = typeof file.source === 'string' ? file.source : new TextDecoder().decode(file.source);
        if ([...html.matchAll(INLINE_SCRIPT)].some((m) => (m[1] ?? '').trim() !== '')) {
          this.error(`${file.fileName} contains an inline <script>; the CSP is script-src 'self'`);
        }
      }
    },
  };
}

export default defineConfig(({ command }) => ({
  root: command === 'build' ? rendererRoot : repoRoot,
  base: './',
  plugins: [react(), devCspHashes(), forbidInlineScripts()],
  build: {
    outDir: resolve(repoRoot, 'dist/renderer'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    target: 'chrome120',
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: [repoRoot] },
  },
}));
