/**
 * Off-chain errors of the local chain. Each JSON-RPC error is its own class with a stable `name`,
 * a stable string `code` and the numeric JSON-RPC `rpcCode` a Solana validator answers with.
 */

/** Base of every error the RPC answers with; `data` goes into the JSON-RPC error object. */
export abstract class RpcError extends Error {
  abstract readonly code: string;
  abstract readonly rpcCode: number;
  constructor(
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** The body is not valid JSON (-32700). */
export class ParseError extends RpcError {
  override readonly name = 'ParseError';
  readonly code = 'PARSE_ERROR';
  readonly rpcCode = -32700;
  constructor() {
    super('Parse error');
  }
}

/** The JSON is not a JSON-RPC 2.0 request (-32600). */
export class InvalidRequestError extends RpcError {
  override readonly name = 'InvalidRequestError';
  readonly code = 'INVALID_REQUEST';
  readonly rpcCode = -32600;
  constructor(message = 'Invalid request') {
    super(message);
  }
}

/** No such method (-32601). */
export class MethodNotFoundError extends RpcError {
  override readonly name = 'MethodNotFoundError';
  readonly code = 'METHOD_NOT_FOUND';
  readonly rpcCode = -32601;
  constructor() {
    super('Method not found');
  }
}

/** Parameters of the wrong type, shape or value (-32602). */
export class InvalidParamsError extends RpcError {
  override readonly name = 'InvalidParamsError';
  readonly code = 'INVALID_PARAMS';
  readonly rpcCode = -32602;
}

/** A bug or an engine failure (-32603); the server keeps running. */
export class InternalError extends RpcError {
  override readonly name = 'InternalError';
  readonly code = 'INTERNAL_ERROR';
  readonly rpcCode = -32603;
  constructor(message = 'Internal error') {
    super(message);
  }
}

/** Preflight simulation failed (-32002); `data` is the simulation result with logs. */
export class TransactionSimulationError extends RpcError {
  override readonly name = 'TransactionSimulationError';
  readonly code = 'TRANSACTION_SIMULATION_FAILED';
  readonly rpcCode = -32002;
}

/** A signature does not verify (-32003). */
export class SignatureVerificationError extends RpcError {
  override readonly name = 'SignatureVerificationError';
  readonly code = 'SIGNATURE_VERIFICATION_FAILED';
  readonly rpcCode = -32003;
  constructor() {
    super('Transaction signature verification failure');
  }
}

/** No block at that slot (-32004). */
export class BlockNotAvailableError extends RpcError {
  override readonly name = 'BlockNotAvailableError';
  readonly code = 'BLOCK_NOT_AVAILABLE';
  readonly rpcCode = -32004;
  constructor(slot: number) {
    super(`Block not available for slot ${slot}`);
  }
}

/** The slot was skipped (a warp jumped over it) (-32007). */
export class SlotSkippedError extends RpcError {
  override readonly name = 'SlotSkippedError';
  readonly code = 'SLOT_SKIPPED';
  readonly rpcCode = -32007;
  constructor(slot: number) {
    super(`Slot ${slot} was skipped, or missing due to ledger jump to recent snapshot`);
  }
}

/** A versioned transaction was asked for without `maxSupportedTransactionVersion` (-32015). */
export class UnsupportedTransactionVersionError extends RpcError {
  override readonly name = 'UnsupportedTransactionVersionError';
  readonly code = 'UNSUPPORTED_TRANSACTION_VERSION';
  readonly rpcCode = -32015;
  constructor(version: number) {
    super(
      `Transaction version (${version}) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": ${version}`,
    );
  }
}

/** A request's `minContextSlot` is past the chain's latest slot (-32016). */
export class MinContextSlotNotReachedError extends RpcError {
  override readonly name = 'MinContextSlotNotReachedError';
  readonly code = 'MIN_CONTEXT_SLOT_NOT_REACHED';
  readonly rpcCode = -32016;
  constructor(contextSlot: number) {
    super('Minimum context slot has not been reached', { contextSlot });
  }
}

/** A malformed genesis config, wallet file or command-line flag (not an RPC error). */
export class ChainConfigError extends Error {
  override readonly name = 'ChainConfigError';
  readonly code = 'CHAIN_CONFIG_INVALID';
}

/** The data directory holds a journal or snapshot that cannot be read back. */
export class LedgerCorruptError extends Error {
  override readonly name = 'LedgerCorruptError';
  readonly code = 'LEDGER_CORRUPT';
}
