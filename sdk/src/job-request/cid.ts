import { sha256 } from '@noble/hashes/sha256';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';

/** Multicodec of raw bytes. */
const RAW = 0x55;
/** Multihash code of SHA2-256. */
const SHA2_256 = 0x12;

/**
 * The IPFS CID of a request's canonical bytes, as a job names it: CIDv1, raw codec, SHA2-256,
 * base32 (`bafkrei…`) — what Kubo and Helia give the same bytes stored as one raw block (`ipfs add
 * --cid-version 1 --raw-leaves` of a file under the chunk size). Its digest is the request hash.
 */
export function requestCid(bytes: Uint8Array): string {
  return CID.createV1(RAW, Digest.create(SHA2_256, sha256(bytes))).toString();
}
