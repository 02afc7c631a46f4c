/**
 * A bounds-checked little-endian reader for instruction data. A read past the end (or a malformed
 * string) never throws: it marks the reader failed and returns a zero value, so a parser reads all
 * its fields and then checks `ok` once.
 */
import { toBase58 } from '../base58.ts';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A u64 as a validator writes it in JSON: a number, exact (bigint) above 2^53. */
export const u64Json = (value: bigint): number | bigint => (value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value);

/** Strict UTF-8 decoding (invalid bytes → null), keeping a leading BOM as Rust's `from_utf8` does. */
export function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/** Reads instruction data front to back. */
export class ByteReader {
  private offset = 0;
  private failed = false;
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /** Whether every read so far was in bounds and well formed. */
  get ok(): boolean {
    return !this.failed;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.data.length - this.offset;
  }

  /** Marks the data malformed (for a value the reader itself cannot judge). */
  fail(): void {
    this.failed = true;
  }

  private take(n: number): number | null {
    if (this.failed || n > this.remaining) {
      this.failed = true;
      return null;
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  /** One byte. */
  u8(): number {
    const at = this.take(1);
    return at === null ? 0 : this.data[at]!;
  }

  /** A little-endian u16. */
  u16(): number {
    const at = this.take(2);
    return at === null ? 0 : this.view.getUint16(at, true);
  }

  /** A little-endian u32. */
  u32(): number {
    const at = this.take(4);
    return at === null ? 0 : this.view.getUint32(at, true);
  }

  /** A little-endian u64. */
  u64(): bigint {
    const at = this.take(8);
    return at === null ? 0n : this.view.getBigUint64(at, true);
  }

  /** A 32-byte public key in base58. */
  pubkey(): string {
    const at = this.take(32);
    return at === null ? '' : toBase58(this.data.subarray(at, at + 32));
  }

  /** A token program `COption<Pubkey>` in instruction data: tag byte 0 (none) or 1 and a key. */
  pubkeyOption(): string | null {
    const tag = this.u8();
    if (tag === 1) return this.pubkey();
    if (tag !== 0) this.failed = true;
    return null;
  }

  /** A bincode string: u64 length, then UTF-8 bytes. */
  bincodeString(): string {
    const length = this.u64();
    if (length > BigInt(this.remaining)) {
      this.failed = true;
      return '';
    }
    return this.utf8(Number(length));
  }

  /** `n` bytes of strict UTF-8. */
  utf8(n: number): string {
    const at = this.take(n);
    if (at === null) return '';
    const text = utf8OrNull(this.data.subarray(at, at + n));
    if (text === null) this.failed = true;
    return text ?? '';
  }

  /** All bytes not read yet. */
  rest(): Uint8Array {
    const at = this.take(this.remaining);
    return at === null ? new Uint8Array(0) : this.data.subarray(at);
  }
}
