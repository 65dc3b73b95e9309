// English strings of the market domain. Keys mirror renderer/i18n/zh-CN/market.ts exactly (the type checks it).
// Error codes of the domain are translated under `errors`, with {fact} placeholders.
export const market = {
  errors: {} as Record<string, string>,
};
