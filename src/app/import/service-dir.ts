/**
 * A Compute Nest service directory on disk as the planner's input: the one file of the import
 * that touches the file system, so the planner itself stays pure.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readTemplateFile } from '../../templates/io/read-file.ts';
import type { ServiceFiles } from './plan.ts';

export interface ServiceDir {
  /** The `.computenest` folder: template Urls are relative to it. */
  root: string;
  /** The text of `config.yaml`, or undefined when there is none. */
  configText: string | undefined;
  files: ServiceFiles;
}

/** Bounded like `template check`: a FIFO, a device or a huge file is "not there", never read. */
function readText(file: string): string | undefined {
  const r = readTemplateFile(file);
  return r.ok ? Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.length).toString('utf8') : undefined;
}

/** `dir` may be the repository holding `.computenest/` or the `.computenest` folder itself. */
export function openServiceDir(dir: string): ServiceDir {
  const nested = path.resolve(dir, '.computenest');
  const root = existsSync(path.join(nested, 'config.yaml')) ? nested : path.resolve(dir);
  // A Url may not reach outside the service directory (`../../etc/passwd` is not a template).
  const inside = (rel: string): string | undefined => {
    const p = path.resolve(root, rel);
    return p === root || p.startsWith(root + path.sep) ? p : undefined;
  };
  return {
    root,
    configText: readText(path.join(root, 'config.yaml')),
    files: {
      read: (rel) => {
        const p = inside(rel);
        return p === undefined ? undefined : readText(p);
      },
      list: (rel) => {
        const p = inside(rel);
        if (p === undefined) return [];
        try {
          return readdirSync(p, { withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => e.name);
        } catch {
          return [];
        }
      },
    },
  };
}
