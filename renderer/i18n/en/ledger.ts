// English strings of the ledger domain. Keys mirror renderer/i18n/zh-CN/ledger.ts exactly (the type checks it).
// Error codes of the domain are translated under `errors`, with {fact} placeholders.
export const ledger = {
  errors: {} as Record<string, string>,
};
