/** Bad input: JSON-RPC errors with a validator's codes, refused bodies, and a server that keeps serving. */
import { Keypair, SystemProgram, Transaction } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockNotAvailableError, ChainConfigError, InvalidParamsError, InvalidRequestError, MethodNotFoundError, MinContextSlotNotReachedError, ParseError, SignatureVerificationError, TransactionSimulationError } from '../src/errors.ts';
import { toBase58 } from '../src/base58.ts';
import { parseArgs } from '../src/cli.ts';
import { startChain, type TestChain } from './helpers.ts';

let chain: TestChain;
beforeAll(async () => {
  chain = await startChain();
});
afterAll(async () => {
  await chain.dispose();
});

const signedTransfer = async (): Promise<Transaction> => {
  const latest = await chain.connection.getLatestBlockhash();
  const tx = new Transaction({ feePayer: chain.wallet.publicKey, ...latest }).add(SystemProgram.transfer({ fromPubkey: chain.wallet.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1_000_000 }));
  tx.sign(chain.wallet);
  return tx;
};

describe('JSON-RPC envelope', () => {
  it('malformed JSON → -32700, not a request → -32600, unknown method → -32601, empty batch → -32600', async () => {
    expect((await chain.post('{"jsonrpc":"2.0",')).json).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
    expect((await chain.post('{"jsonrpc":"1.0","id":1,"method":"getSlot"}')).json.error).toEqual({ code: -32600, message: 'Invalid request' });
    expect((await chain.post('42')).json.error.code).toBe(-32600);
    expect((await chain.post('{"jsonrpc":"2.0","id":7,"method":"getNothing"}')).json).toEqual({ jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: 7 });
    expect((await chain.post('[]')).json.error.code).toBe(-32600);
    expect((await chain.post('{"jsonrpc":"2.0","id":1,"method":"toString"}')).json.error.code).toBe(-32601);
  });

  it('batches answer each request in order; notifications get no answer', async () => {
    const res = await chain.post(JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'getHealth' },
      { jsonrpc: '2.0', method: 'getSlot' },
      { jsonrpc: '2.0', id: 3, method: 'nope' },
    ]));
    expect(res.json.map((r: { id: number }) => r.id)).toEqual([1, 3]);
    expect(res.json[1].error.code).toBe(-32601);
    const none = await chain.post('{"jsonrpc":"2.0","method":"getSlot"}');
    expect(none.json).toBeNull();
  });

  it('bad params → -32602 with a message', async () => {
    const cases: [string, unknown[]][] = [
      ['getBalance', ['not-base58-0OIl']],
      ['getBalance', ['3yZe7d']],
      ['getBalance', [42]],
      ['getAccountInfo', [Keypair.generate().publicKey.toBase58(), { encoding: 'hex' }]],
      ['getAccountInfo', [Keypair.generate().publicKey.toBase58(), { commitment: 'sometime' }]],
      ['getMultipleAccounts', [Array.from({ length: 101 }, () => Keypair.generate().publicKey.toBase58())]],
      ['getSignatureStatuses', ['abc']],
      ['getSignaturesForAddress', [Keypair.generate().publicKey.toBase58(), { limit: 5000 }]],
      ['getProgramAccounts', ['11111111111111111111111111111111', { filters: [{ memcmp: { offset: -1, bytes: 'a' } }] }]],
      ['getBlocks', [0, 10_000_000]],
      ['getMinimumBalanceForRentExemption', [-5]],
      ['requestAirdrop', [Keypair.generate().publicKey.toBase58(), 'lots']],
      ['sendTransaction', ['!!!', { encoding: 'base64' }]],
      ['sendTransaction', ['AQID', { encoding: 'base64' }]],
      ['sendTransaction', ['A'.repeat(2000), { encoding: 'base64' }]],
      ['getTransaction', ['1'.repeat(64), { commitment: 'processed' }]],
      ['params', []],
    ];
    for (const [method, params] of cases) {
      const res = await chain.rpc(method === 'params' ? 'getBalance' : method, method === 'params' ? ({ not: 'an array' } as never) : params);
      expect(res.error?.code, `${method} ${JSON.stringify(params).slice(0, 60)}`).toBe(-32602);
      expect(res.error.message.length).toBeGreaterThan(5);
    }
  });

  it('a minContextSlot past the latest slot → -32016 with the context slot; a reached one answers normally', async () => {
    const slot = (await chain.rpc('getSlot')).result as number;
    const key = Keypair.generate().publicKey.toBase58();
    for (const [method, params] of [
      ['getBalance', [key, { minContextSlot: slot + 10_000 }]],
      ['getAccountInfo', [key, { minContextSlot: slot + 10_000 }]],
      ['getSlot', [{ minContextSlot: slot + 10_000 }]],
      ['getLatestBlockhash', [{ commitment: 'confirmed', minContextSlot: slot + 10_000 }]],
    ] as [string, unknown[]][]) {
      const res = await chain.rpc(method, params);
      expect(res.error?.code, method).toBe(-32016);
      expect(res.error.message).toBe('Minimum context slot has not been reached');
      expect(res.error.data.contextSlot).toBeGreaterThanOrEqual(slot);
    }
    expect((await chain.rpc('getBalance', [key, { minContextSlot: slot }])).result.value).toBe(0);
    expect((await chain.rpc('getBalance', [key, { minContextSlot: 'soon' }])).error.code).toBe(-32602);
    // Methods that take no minContextSlot ignore it, as a validator's do.
    expect((await chain.rpc('getBlocks', [0, 1, { minContextSlot: slot + 10_000 }])).error).toBeUndefined();
    // web3.js surfaces it as an error, as against a validator.
    await expect(chain.connection.getBalance(Keypair.generate().publicKey, { minContextSlot: slot + 10_000 })).rejects.toThrow(/Minimum context slot has not been reached/);
  });

  it('oversized bodies are refused with 413 and the server keeps serving', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getHealth', params: ['x'.repeat(100 * 1024)] });
    const res = await chain.post(big);
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe(-32600);
    expect((await chain.rpc('getHealth')).result).toBe('ok');
  });
});

describe('invalid and failing transactions', () => {
  it('a broken signature → -32003; an unknown blockhash → -32002 BlockhashNotFound; with skipPreflight the signature comes back and nothing lands', async () => {
    const tx = await signedTransfer();
    const wire = tx.serialize();
    wire[10] ^= 0xff;
    const bad = await chain.rpc('sendTransaction', [wire.toString('base64'), { encoding: 'base64' }]);
    expect(bad.error).toEqual({ code: -32003, message: 'Transaction signature verification failure' });

    const stale = new Transaction({ feePayer: chain.wallet.publicKey, recentBlockhash: Keypair.generate().publicKey.toBase58() }).add(
      SystemProgram.transfer({ fromPubkey: chain.wallet.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1_000_000 }),
    );
    stale.sign(chain.wallet);
    const res = await chain.rpc('sendTransaction', [stale.serialize().toString('base64'), { encoding: 'base64' }]);
    expect(res.error.code).toBe(-32002);
    expect(res.error.message).toBe('Transaction simulation failed: Blockhash not found');
    expect(res.error.data.err).toBe('BlockhashNotFound');
    expect(res.error.data.logs).toEqual([]);
    const skipped = await chain.rpc('sendTransaction', [stale.serialize().toString('base64'), { encoding: 'base64', skipPreflight: true }]);
    expect(skipped.result).toBe(toBase58(stale.signature!));
    await new Promise((r) => setTimeout(r, 300));
    expect((await chain.connection.getSignatureStatuses([skipped.result])).value[0]).toBeNull();
  });

  it('an unfunded fee payer → AccountNotFound; a program error → InstructionError with logs', async () => {
    const nobody = Keypair.generate();
    const latest = await chain.connection.getLatestBlockhash();
    const tx = new Transaction({ feePayer: nobody.publicKey, ...latest }).add(SystemProgram.transfer({ fromPubkey: nobody.publicKey, toPubkey: chain.wallet.publicKey, lamports: 1 }));
    tx.sign(nobody);
    const res = await chain.rpc('sendTransaction', [tx.serialize().toString('base64'), { encoding: 'base64' }]);
    expect(res.error.code).toBe(-32002);
    expect(res.error.data.err).toBe('AccountNotFound');
    expect(res.error.message).toBe('Transaction simulation failed: Attempt to debit an account but found no record of a prior credit.');

    const bogus = new Transaction({ feePayer: chain.wallet.publicKey, ...latest }).add({ programId: SystemProgram.programId, keys: [], data: Buffer.from([99, 0, 0, 0]) });
    bogus.sign(chain.wallet);
    const r2 = await chain.rpc('sendTransaction', [bogus.serialize().toString('base64'), { encoding: 'base64' }]);
    expect(r2.error.code).toBe(-32002);
    expect(r2.error.data.err).toEqual({ InstructionError: [0, 'InvalidInstructionData'] });
    expect(r2.error.data.logs.length).toBeGreaterThan(0);
  });

  it('simulateTransaction reports failures in the value (with logs) rather than as an RPC error', async () => {
    const latest = await chain.connection.getLatestBlockhash();
    const bogus = new Transaction({ feePayer: chain.wallet.publicKey, ...latest }).add({ programId: SystemProgram.programId, keys: [], data: Buffer.from([99, 0, 0, 0]) });
    const res = await chain.rpc('simulateTransaction', [bogus.serialize({ requireAllSignatures: false }).toString('base64'), { encoding: 'base64' }]);
    expect(res.result.value.err).toEqual({ InstructionError: [0, 'InvalidInstructionData'] });
    expect(res.result.value.logs.length).toBeGreaterThan(0);
    const both = await chain.rpc('simulateTransaction', [bogus.serialize({ requireAllSignatures: false }).toString('base64'), { encoding: 'base64', sigVerify: true, replaceRecentBlockhash: true }]);
    expect(both.error.code).toBe(-32602);
  });

  it('a flood of garbage never takes the server down', async () => {
    const junk = ['', 'null', '[1,2,3]', '{"jsonrpc":"2.0","id":{},"method":"getSlot"}', '{"jsonrpc":"2.0","id":1,"method":"getBalance","params":[null]}', '\u0000\u0001', '{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["' + 'z'.repeat(1000) + '"]}'];
    for (const body of junk) {
      const res = await chain.post(body);
      expect(res.status).toBe(200);
    }
    expect((await chain.rpc('getHealth')).result).toBe('ok');
  });
});

describe('error classes', () => {
  it('have stable names and codes', () => {
    const all = [new ParseError(), new InvalidRequestError(), new MethodNotFoundError(), new InvalidParamsError('x'), new TransactionSimulationError('x'), new SignatureVerificationError(), new BlockNotAvailableError(1), new MinContextSlotNotReachedError(1)];
    expect(all.map((e) => [e.name, e.code, e.rpcCode])).toEqual([
      ['ParseError', 'PARSE_ERROR', -32700],
      ['InvalidRequestError', 'INVALID_REQUEST', -32600],
      ['MethodNotFoundError', 'METHOD_NOT_FOUND', -32601],
      ['InvalidParamsError', 'INVALID_PARAMS', -32602],
      ['TransactionSimulationError', 'TRANSACTION_SIMULATION_FAILED', -32002],
      ['SignatureVerificationError', 'SIGNATURE_VERIFICATION_FAILED', -32003],
      ['BlockNotAvailableError', 'BLOCK_NOT_AVAILABLE', -32004],
      ['MinContextSlotNotReachedError', 'MIN_CONTEXT_SLOT_NOT_REACHED', -32016],
    ]);
    const e = (() => {
      try {
        parseArgs(['--rpc-port', 'x']);
      } catch (err) {
        return err as ChainConfigError;
      }
    })();
    expect(e).toBeInstanceOf(ChainConfigError);
    expect([e!.name, e!.code]).toEqual(['ChainConfigError', 'CHAIN_CONFIG_INVALID']);
  });
});
