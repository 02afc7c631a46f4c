import { FailedTransactionMetadata, LiteSVM } from 'litesvm';
import {
  type Address,
  type Instruction,
  type KeyPairSigner,
  address,
  appendTransactionMessageInstructions,
  createTransactionMessage,
  generateKeyPairSigner,
  getAddressEncoder,
  lamports,
  pipe,
  setTransactionMessageFeePayerSigner,
  signTransactionMessageWithSigners,
} from '@solana/kit';

const COMPUTE_BUDGET = address('ComputeBudget111111111111111111111111111111');

/** What one instruction to the program did. */
export type Invocation =
  | { ok: true; returnData: Uint8Array; computeUnits: bigint; logs: string[] }
  | { ok: false; error: string; logs: string[] };

/** One program loaded into its own LiteSVM, invoked with raw instruction data and no accounts. */
export class LiteSvmProgram {
  private constructor(
    private readonly svm: LiteSVM,
    readonly programId: Address,
    private readonly payer: KeyPairSigner,
  ) {}

  /** Loads `so` (with the BPF upgradeable loader, as `addProgram` does) under a fresh address. */
  static async load(so: Uint8Array): Promise<LiteSvmProgram> {
    const svm = new LiteSVM();
    const programId = (await generateKeyPairSigner()).address;
    svm.addProgram(programId, so);
    const payer = await generateKeyPairSigner();
    svm.airdrop(payer.address, lamports(100_000_000_000n));
    return new LiteSvmProgram(svm, programId, payer);
  }

  /**
   * Sends one transaction: a 1.4M compute-unit limit, then the program with `data`. The blockhash
   * is expired first, so sending the same data twice makes two distinct transactions.
   */
  async invoke(data: Uint8Array): Promise<Invocation> {
    this.svm.expireBlockhash();
    const limit = new Uint8Array(5);
    limit[0] = 2; // SetComputeUnitLimit
    new DataView(limit.buffer).setUint32(1, 1_400_000, true);
    const instructions: Instruction[] = [
      { programAddress: COMPUTE_BUDGET, data: limit },
      { programAddress: this.programId, data },
    ];
    const tx = await pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(this.payer, m),
      (m) => this.svm.setTransactionMessageLifetimeUsingLatestBlockhash(m),
      (m) => appendTransactionMessageInstructions(instructions, m),
      (m) => signTransactionMessageWithSigners(m),
    );
    const result = this.svm.sendTransaction(tx);
    if (result instanceof FailedTransactionMetadata) {
      return { ok: false, error: result.err().toString(), logs: result.meta().logs() };
    }
    const returned = result.returnData();
    const fromProgram = Buffer.from(returned.programId()).equals(Buffer.from(getAddressEncoder().encode(this.programId)));
    return {
      ok: true,
      returnData: fromProgram ? Uint8Array.from(returned.data()) : new Uint8Array(),
      computeUnits: result.computeUnitsConsumed(),
      logs: result.logs(),
    };
  }
}
