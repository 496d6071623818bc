// The one seam for files that must survive us: known_hosts entries, and everything in the data
// directory (audit log; later the rollout journal and alert history). Tests swap in their own.
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';

export interface DurableFiles {
  /** Creates the directory (and parents) with `mode` where it does not exist yet. */
  ensureDir(dir: string, mode: number): void;
  /**
   * Appends `text` with one write on an O_APPEND descriptor, then fsyncs: another process
   * appending at once can never land inside it, and it is on disk when this returns.
   * A new file is created with `mode`.
   */
  append(file: string, text: string, mode: number): void;
  /** The bytes from `offset` to the end (empty where the file does not exist). */
  readFrom(file: string, offset: number): Buffer;
  /** Size in bytes, or undefined where the file does not exist. */
  size(file: string): number | undefined;
  exists(file: string): boolean;
  rename(from: string, to: string): void;
  /** Creates `file` holding `text` only where it does not exist yet (O_EXCL): false where it did. For lock files. */
  createExclusive(file: string, text: string, mode: number): boolean;
  /** Removes `file`; nothing where it does not exist. */
  remove(file: string): void;
}

export const nodeFiles: DurableFiles = {
  ensureDir(dir, mode) {
    mkdirSync(dir, { recursive: true, mode });
  },
  append(file, text, mode) {
    const fd = openSync(file, 'a', mode);
    try {
      const bytes = Buffer.from(text, 'utf8');
      let written = 0;
      // A regular file takes the whole buffer in one write; the loop only guards a short write.
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  readFrom(file, offset) {
    if (!existsSync(file)) return Buffer.alloc(0);
    const fd = openSync(file, 'r');
    try {
      const length = Math.max(0, fstatSync(fd).size - offset);
      const buffer = Buffer.alloc(length);
      let read = 0;
      while (read < length) {
        const n = readSync(fd, buffer, read, length - read, offset + read);
        if (n === 0) break;
        read += n;
      }
      return buffer.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  },
  size(file) {
    return existsSync(file) ? statSync(file).size : undefined;
  },
  exists: existsSync,
  rename: renameSync,
  createExclusive(file, text, mode) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return true;
  },
  remove(file) {
    rmSync(file, { force: true });
  },
};
