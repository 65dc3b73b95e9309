// English strings of the diagnostics domain. Keys mirror renderer/i18n/zh-CN/diagnostics.ts exactly (the type checks it).
// Error codes of the domain are translated under `errors`, with {fact} placeholders.
export const diagnostics = {
  errors: {} as Record<string, string>,
};
