// Builds the dashboard UI (Preact) into dist/dashboard/, which `karmada-ts dashboard` serves; everything is bundled, nothing external.
import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/dashboard', import.meta.url));

/**
 * tsc compiles the dashboard's server (src/dashboard) into the same dist/dashboard, so the folder is
 * not emptied: only the UI's own output (index.html, assets/) is removed before a build.
 */
const cleanUiOutput: Plugin = {
  name: 'karmada-ts:clean-ui-output',
  apply: 'build',
  buildStart() {
    rmSync(join(outDir, 'assets'), { recursive: true, force: true });
    rmSync(join(outDir, 'index.html'), { force: true });
  },
};

export default defineConfig({
  root,
  base: '/',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false }), cleanUiOutput],
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
