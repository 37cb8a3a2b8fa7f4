#!/usr/bin/env node
// Runs the TypeScript sources through tsx: `npx imagenest` works right after `npm ci`, no build.
import { register } from 'tsx/esm/api';

register();
await import('../src/runtime/main.ts');
