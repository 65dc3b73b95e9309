// English strings of the history domain. Keys mirror renderer/i18n/zh-CN/history.ts exactly (the type checks it).
// Error codes of the domain are translated under `errors`, with {fact} placeholders.
export const history = {
  errors: {} as Record<string, string>,
};
