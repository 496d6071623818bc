#!/usr/bin/env node
// Runs the TypeScript CLI directly; tsx compiles on the fly, so `npx fleetdeck` needs no build.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
process.exitCode = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr });
