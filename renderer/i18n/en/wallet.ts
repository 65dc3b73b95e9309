// English strings of the wallet domain. Keys mirror renderer/i18n/zh-CN/wallet.ts exactly (the type checks it).
// Error codes of the domain are translated under `errors`, with {fact} placeholders.
export const wallet = {
  errors: {} as Record<string, string>,
};
