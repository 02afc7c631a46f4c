/**
 * The chain's durable storage in a data directory: an append-only journal of JSON lines (each
 * batch's transactions and post-transaction account states, slot ticks, warps), fsynced before a
 * client hears back, plus snapshots of the whole SVM that bound what a restart replays.
 */
import { closeSync, existsSync, fdatasync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open as openAsync } from 'node:fs/promises';
import path from 'node:path';
import { LedgerCorruptError } from './errors.ts';

const JOURNAL = 'journal.log';
const SNAPSHOT = 'snapshot.bin';

/** A journal line read back, with the byte offset just past it. */
export interface JournalLine {
  entry: Record<string, unknown>;
  end: number;
}

/** An SVM snapshot and the journal offset it is consistent with. */
export interface Snapshot {
  offset: number;
  meta: Record<string, unknown>;
  svm: Uint8Array;
}

/** Append-only, fsynced journal in `dir`. */
export class Journal {
  private fd: number;
  private syncing: Promise<void> | null = null;
  private dirty = false;
  /** Bytes in the journal (the offset of the next line). */
  size: number;

  private constructor(
    readonly dir: string,
    fd: number,
    size: number,
  ) {
    this.fd = fd;
    this.size = size;
  }

  /**
   * Opens (or creates) the journal in `dir`, reads every complete line back and cuts a torn last
   * line (a write a crash interrupted, never acknowledged).
   */
  static open(dir: string): { journal: Journal; lines: JournalLine[] } {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, JOURNAL);
    const fd = openSync(file, existsSync(file) ? 'r+' : 'w+');
    const bytes = readFileSync(file);
    const lines: JournalLine[] = [];
    let start = 0;
    while (start < bytes.length) {
      const nl = bytes.indexOf(10, start);
      if (nl < 0) break;
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(bytes.toString('utf8', start, nl)) as Record<string, unknown>;
      } catch {
        if (bytes.indexOf(10, nl + 1) >= 0) throw new LedgerCorruptError(`${file}: unreadable line at byte ${start}`);
        break; // a torn final line
      }
      lines.push({ entry, end: nl + 1 });
      start = nl + 1;
    }
    if (start < bytes.length) {
      ftruncateSync(fd, start);
      fsyncSync(fd);
    }
    return { journal: new Journal(dir, fd, start), lines };
  }

  /** Removes the data directory's journal and snapshot (`--reset`). */
  static reset(dir: string): void {
    rmSync(path.join(dir, JOURNAL), { force: true });
    rmSync(path.join(dir, SNAPSHOT), { force: true });
  }

  /** Appends one line (written to the OS at once; durable after {@link Journal.sync}). */
  append(entry: unknown): void {
    const buf = Buffer.from(`${JSON.stringify(entry)}\n`);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off, this.size + off);
    this.size += buf.length;
    this.dirty = true;
  }

  /** Resolves once everything appended so far is on disk (concurrent callers share fsyncs). */
  async sync(): Promise<void> {
    while (this.syncing) await this.syncing;
    if (!this.dirty) return;
    this.dirty = false;
    this.syncing = new Promise<void>((resolve, reject) => fdatasync(this.fd, (e) => (e ? reject(e) : resolve()))).finally(() => {
      this.syncing = null;
    });
    await this.syncing;
  }

  /** Closes the file (after a final fsync). */
  close(): void {
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }

  /** The current file length on disk (for tests). */
  fileSize(): number {
    return fstatSync(this.fd).size;
  }
}

/** Reads the snapshot of `dir`, or null when there is none. */
export function readSnapshot(dir: string): Snapshot | null {
  const file = path.join(dir, SNAPSHOT);
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  if (bytes.length < 4) throw new LedgerCorruptError(`${file}: truncated`);
  const n = bytes.readUInt32LE(0);
  let header: { offset: number; meta: Record<string, unknown> };
  try {
    header = JSON.parse(bytes.toString('utf8', 4, 4 + n)) as typeof header;
  } catch {
    throw new LedgerCorruptError(`${file}: unreadable header`);
  }
  return { offset: header.offset, meta: header.meta, svm: new Uint8Array(bytes.buffer, bytes.byteOffset + 4 + n, bytes.length - 4 - n) };
}

/** Writes a snapshot atomically (temporary file, fsync, rename). */
export async function writeSnapshot(dir: string, snap: Snapshot): Promise<void> {
  const header = Buffer.from(JSON.stringify({ offset: snap.offset, meta: snap.meta }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const tmp = path.join(dir, `${SNAPSHOT}.tmp`);
  const fh = await openAsync(tmp, 'w');
  try {
    await fh.writeFile(Buffer.concat([len, header, snap.svm]));
    await fh.datasync();
  } finally {
    await fh.close();
  }
  renameSync(tmp, path.join(dir, SNAPSHOT));
}
