import { murmur3 } from './murmur3.ts';

/**
 * Syscall names agave registers (solana-define-syscall 5.x, plus `sol_alloc_free_`). Used to
 * recognise static syscalls (`call imm=murmur3(name)`) and to reject calls to unknown names.
 */
export const KNOWN_SYSCALLS = [
  'abort', 'sol_panic_', 'sol_log_', 'sol_log_64_', 'sol_log_compute_units_', 'sol_log_pubkey',
  'sol_log_data', 'sol_create_program_address', 'sol_try_find_program_address', 'sol_sha256',
  'sol_keccak256', 'sol_keccak_p1600', 'sol_sha512', 'sol_blake3', 'sol_secp256k1_recover',
  'sol_poseidon', 'sol_big_mod_exp', 'sol_alt_bn128_group_op', 'sol_alt_bn128_compression',
  'sol_curve_validate_point', 'sol_curve_group_op', 'sol_curve_multiscalar_mul',
  'sol_curve_pairing_map', 'sol_curve_decompress', 'sol_get_clock_sysvar',
  'sol_get_epoch_schedule_sysvar', 'sol_get_fees_sysvar', 'sol_get_rent_sysvar',
  'sol_get_last_restart_slot', 'sol_get_epoch_rewards_sysvar', 'sol_get_sysvar',
  'sol_get_epoch_stake', 'sol_memcpy_', 'sol_memmove_', 'sol_memset_', 'sol_memcmp_',
  'sol_invoke_signed_c', 'sol_invoke_signed_rust', 'sol_set_return_data', 'sol_get_return_data',
  'sol_get_stack_height', 'sol_get_processed_sibling_instruction', 'sol_remaining_compute_units',
  'sol_alloc_free_',
] as const;

/** Names LLVM may call that map onto syscalls. */
export const SYSCALL_ALIASES: Record<string, string> = { __bpf_trap: 'abort' };

/** The syscall hash the loader puts in a `call` immediate. */
export const syscallHash = (name: string): number => murmur3(Buffer.from(name, 'latin1'));

/** Maps syscall hashes back to names, for the given extra names too. */
export function syscallsByHash(extra: readonly string[] = []): Map<number, string> {
  return new Map([...KNOWN_SYSCALLS, ...extra].map((n) => [syscallHash(n), n]));
}

/** True for a name the linker may leave as a syscall import. */
export const isSyscallName = (name: string): boolean => name === 'abort' || name.startsWith('sol_');
