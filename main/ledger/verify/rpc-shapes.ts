import { z } from 'zod';

/**
 * The shapes of the JSON-RPC answers the verifier reads. They are checked for form only: every
 * value is then proven (or refused) by the steps. Unknown block fields are kept (`loose`), so the
 * header step can refuse them by name rather than have them silently dropped here.
 */
const data = z.string().regex(/^0x([0-9a-fA-F]{2})*$/);
const qty = z.string().regex(/^0x[0-9a-fA-F]+$/);

export const rpcBlockSchema = z.looseObject({
  hash: data,
  number: qty,
  stateRoot: data,
});
export type RpcBlock = z.infer<typeof rpcBlockSchema> & Record<string, unknown>;

export const rpcStorageProofSchema = z.object({
  key: data.or(qty),
  value: qty,
  proof: z.array(data),
});

export const rpcAccountProofSchema = z.object({
  address: data,
  accountProof: z.array(data),
  balance: qty,
  codeHash: data,
  nonce: qty,
  storageHash: data,
  storageProof: z.array(rpcStorageProofSchema),
});
export type RpcAccountProof = z.infer<typeof rpcAccountProofSchema>;
